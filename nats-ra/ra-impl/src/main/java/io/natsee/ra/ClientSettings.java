package io.natsee.ra;

import io.nats.client.AuthHandler;
import io.nats.client.ConnectionListener;
import io.nats.client.ErrorListener;
import io.nats.client.Nats;
import io.nats.client.Options;
import java.io.Serializable;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * The jnats client settings shared by the resource adapter, its connection factories and its
 * activation specs; a null field means "inherit", and {@link #overriddenBy} layers them.
 *
 * <p>This is the one place where configuration properties become jnats {@link Options}.
 */
public final class ClientSettings implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Where the adapter connects when nothing says otherwise. */
    public static final String DEFAULT_SERVERS = "nats://localhost:4222";
    /** Reconnect attempts per server before a connection is given up (jnats' default); -1 means forever. */
    public static final int DEFAULT_MAX_RECONNECTS = 60;
    /** Milliseconds between reconnect attempts to the same server (jnats' default). */
    public static final long DEFAULT_RECONNECT_WAIT_MILLIS = 2_000;
    /** Bytes published while disconnected that jnats keeps to send after reconnecting (jnats' default). */
    public static final long DEFAULT_RECONNECT_BUFFER_SIZE = 8L * 1024 * 1024;
    /** Milliseconds between keep-alive pings (jnats' default). */
    public static final long DEFAULT_PING_INTERVAL_MILLIS = 120_000;
    /** Milliseconds allowed for connecting to one server (jnats' default). */
    public static final long DEFAULT_CONNECTION_TIMEOUT_MILLIS = 2_000;

    private String servers;
    private String connectionName;
    private String user;
    private String password;
    private String token;
    private String nkeySeed;
    private String credentialsFile;
    private String trustStore;
    private String trustStorePassword;
    private String keyStore;
    private String keyStorePassword;
    private Integer maxReconnects;
    private Long reconnectWaitMillis;
    private Long reconnectBufferSize;
    private Long pingIntervalMillis;
    private Long connectionTimeoutMillis;

    /** Returns settings where every field set in {@code over} replaces the one here. */
    public ClientSettings overriddenBy(ClientSettings over) {
        ClientSettings merged = new ClientSettings();
        merged.servers = pick(over.servers, servers);
        merged.connectionName = pick(over.connectionName, connectionName);
        merged.user = pick(over.user, user);
        merged.password = pick(over.password, password);
        merged.token = pick(over.token, token);
        merged.nkeySeed = pick(over.nkeySeed, nkeySeed);
        merged.credentialsFile = pick(over.credentialsFile, credentialsFile);
        merged.trustStore = pick(over.trustStore, trustStore);
        merged.trustStorePassword = pick(over.trustStorePassword, trustStorePassword);
        merged.keyStore = pick(over.keyStore, keyStore);
        merged.keyStorePassword = pick(over.keyStorePassword, keyStorePassword);
        merged.maxReconnects = pick(over.maxReconnects, maxReconnects);
        merged.reconnectWaitMillis = pick(over.reconnectWaitMillis, reconnectWaitMillis);
        merged.reconnectBufferSize = pick(over.reconnectBufferSize, reconnectBufferSize);
        merged.pingIntervalMillis = pick(over.pingIntervalMillis, pingIntervalMillis);
        merged.connectionTimeoutMillis = pick(over.connectionTimeoutMillis, connectionTimeoutMillis);
        return merged;
    }

    private static <T> T pick(T over, T under) {
        if (over instanceof String text && text.isBlank()) {
            return under;
        }
        return over != null ? over : under;
    }

    /**
     * Returns a jnats options builder for these settings, with defaults for unset fields.
     *
     * @param connectionListener receives connection events, may be null
     * @param errorListener receives asynchronous errors, may be null
     */
    public Options.Builder toOptions(ConnectionListener connectionListener, ErrorListener errorListener) {
        Options.Builder builder = new Options.Builder()
                .servers(serverList())
                .maxReconnects(maxReconnects != null ? maxReconnects : DEFAULT_MAX_RECONNECTS)
                .reconnectWait(Duration.ofMillis(orDefault(reconnectWaitMillis, DEFAULT_RECONNECT_WAIT_MILLIS)))
                .reconnectBufferSize(orDefault(reconnectBufferSize, DEFAULT_RECONNECT_BUFFER_SIZE))
                .pingInterval(Duration.ofMillis(orDefault(pingIntervalMillis, DEFAULT_PING_INTERVAL_MILLIS)))
                .connectionTimeout(Duration.ofMillis(orDefault(connectionTimeoutMillis, DEFAULT_CONNECTION_TIMEOUT_MILLIS)))
                .useTimeoutException();
        if (connectionName != null) {
            builder.connectionName(connectionName);
        }
        if (user != null) {
            builder.userInfo(user, password == null ? "" : password);
        }
        if (token != null) {
            builder.token(token.toCharArray());
        }
        AuthHandler authHandler = null;
        if (credentialsFile != null) {
            authHandler = Nats.credentials(credentialsFile);
        } else if (nkeySeed != null) {
            authHandler = Nats.staticCredentials(null, nkeySeed.toCharArray());
        }
        if (authHandler != null) {
            builder.authHandler(authHandler);
        }
        if (trustStore != null) {
            builder.truststorePath(trustStore);
            if (trustStorePassword != null) {
                builder.truststorePassword(trustStorePassword.toCharArray());
            }
        }
        if (keyStore != null) {
            builder.keystorePath(keyStore);
            if (keyStorePassword != null) {
                builder.keystorePassword(keyStorePassword.toCharArray());
            }
        }
        if (connectionListener != null) {
            builder.connectionListener(connectionListener);
        }
        if (errorListener != null) {
            builder.errorListener(errorListener);
        }
        return builder;
    }

    /** Returns the configured server URLs, split at commas, or the default. */
    public String[] serverList() {
        String list = servers == null || servers.isBlank() ? DEFAULT_SERVERS : servers;
        return Arrays.stream(list.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toArray(String[]::new);
    }

    private static long orDefault(Long value, long fallback) {
        return value != null ? value : fallback;
    }

    public String getServers() { return servers; }
    public void setServers(String servers) { this.servers = servers; }
    public String getConnectionName() { return connectionName; }
    public void setConnectionName(String connectionName) { this.connectionName = connectionName; }
    public String getUser() { return user; }
    public void setUser(String user) { this.user = user; }
    public String getPassword() { return password; }
    public void setPassword(String password) { this.password = password; }
    public String getToken() { return token; }
    public void setToken(String token) { this.token = token; }
    public String getNkeySeed() { return nkeySeed; }
    public void setNkeySeed(String nkeySeed) { this.nkeySeed = nkeySeed; }
    public String getCredentialsFile() { return credentialsFile; }
    public void setCredentialsFile(String credentialsFile) { this.credentialsFile = credentialsFile; }
    public String getTrustStore() { return trustStore; }
    public void setTrustStore(String trustStore) { this.trustStore = trustStore; }
    public String getTrustStorePassword() { return trustStorePassword; }
    public void setTrustStorePassword(String trustStorePassword) { this.trustStorePassword = trustStorePassword; }
    public String getKeyStore() { return keyStore; }
    public void setKeyStore(String keyStore) { this.keyStore = keyStore; }
    public String getKeyStorePassword() { return keyStorePassword; }
    public void setKeyStorePassword(String keyStorePassword) { this.keyStorePassword = keyStorePassword; }
    public Integer getMaxReconnects() { return maxReconnects; }
    public void setMaxReconnects(Integer maxReconnects) { this.maxReconnects = maxReconnects; }
    public Long getReconnectWaitMillis() { return reconnectWaitMillis; }
    public void setReconnectWaitMillis(Long reconnectWaitMillis) { this.reconnectWaitMillis = reconnectWaitMillis; }
    public Long getReconnectBufferSize() { return reconnectBufferSize; }
    public void setReconnectBufferSize(Long reconnectBufferSize) { this.reconnectBufferSize = reconnectBufferSize; }
    public Long getPingIntervalMillis() { return pingIntervalMillis; }
    public void setPingIntervalMillis(Long pingIntervalMillis) { this.pingIntervalMillis = pingIntervalMillis; }
    public Long getConnectionTimeoutMillis() { return connectionTimeoutMillis; }
    public void setConnectionTimeoutMillis(Long connectionTimeoutMillis) { this.connectionTimeoutMillis = connectionTimeoutMillis; }

    /**
     * Returns an immutable value of every field, equal exactly when the settings are equal:
     * a key that later changes to these (mutable) settings cannot move.
     */
    public List<Object> identity() {
        return Collections.unmodifiableList(Arrays.asList(servers, connectionName, user, password, token, nkeySeed,
                credentialsFile, trustStore, trustStorePassword, keyStore, keyStorePassword, maxReconnects,
                reconnectWaitMillis, reconnectBufferSize, pingIntervalMillis, connectionTimeoutMillis));
    }

    /** Returns a copy that nothing else holds. */
    public ClientSettings copy() {
        return new ClientSettings().overriddenBy(this);
    }

    @Override
    public boolean equals(Object other) {
        if (this == other) {
            return true;
        }
        if (!(other instanceof ClientSettings that)) {
            return false;
        }
        return Objects.equals(servers, that.servers) && Objects.equals(connectionName, that.connectionName)
                && Objects.equals(user, that.user) && Objects.equals(password, that.password)
                && Objects.equals(token, that.token) && Objects.equals(nkeySeed, that.nkeySeed)
                && Objects.equals(credentialsFile, that.credentialsFile) && Objects.equals(trustStore, that.trustStore)
                && Objects.equals(trustStorePassword, that.trustStorePassword) && Objects.equals(keyStore, that.keyStore)
                && Objects.equals(keyStorePassword, that.keyStorePassword) && Objects.equals(maxReconnects, that.maxReconnects)
                && Objects.equals(reconnectWaitMillis, that.reconnectWaitMillis)
                && Objects.equals(reconnectBufferSize, that.reconnectBufferSize)
                && Objects.equals(pingIntervalMillis, that.pingIntervalMillis)
                && Objects.equals(connectionTimeoutMillis, that.connectionTimeoutMillis);
    }

    @Override
    public int hashCode() {
        return Objects.hash(servers, connectionName, user, token, nkeySeed, credentialsFile, trustStore, keyStore,
                maxReconnects, reconnectWaitMillis, reconnectBufferSize, pingIntervalMillis, connectionTimeoutMillis);
    }

    @Override
    public String toString() {
        return "ClientSettings[servers=" + servers + ", connectionName=" + connectionName + ", user=" + user + "]";
    }
}
