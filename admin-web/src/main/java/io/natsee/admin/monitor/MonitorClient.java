package io.natsee.admin.monitor;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the console reads of the servers it watches: nats-server's monitoring endpoints, as view
 * models. The HTTP implementation is {@link HttpMonitorClient}; tests use a fake. Every method
 * may block for the time a request takes and throws {@link MonitorException} when the server
 * cannot be read; none retries.
 */
public interface MonitorClient {

    /** The servers watched, the first being the default one; never empty. */
    List<ServerEndpoint> servers();

    /** {@code /varz}. */
    ServerVarz varz(ServerEndpoint server) throws MonitorException;

    /** {@code /varz} as its JSON tree (for the configuration page). */
    Map<String, Object> varzDocument(ServerEndpoint server) throws MonitorException;

    /** {@code /connz} with the given options. */
    ConnectionPage connections(ServerEndpoint server, ConnectionQuery query) throws MonitorException;

    /**
     * {@code /subsz?subs=1}: the counters and one page of subscriptions; only those a message on
     * {@code testSubject} would reach when it is not blank.
     *
     * @throws MonitorException with status 400 when the server refuses the subject
     */
    SubscriptionPage subscriptions(ServerEndpoint server, String testSubject, int offset, int limit) throws MonitorException;

    /** {@code /routez}; empty when the server serves none (no clustering there yet). */
    Optional<RoutePage> routes(ServerEndpoint server) throws MonitorException;

    /**
     * Closes a client connection ({@code POST /connz/close?cid=N}).
     *
     * @return false when the server has no open connection with that id
     * @throws MonitorException when the server does not offer the action (404), refuses the token
     *                          (401), or cannot be reached
     */
    boolean closeConnection(ServerEndpoint server, long cid) throws MonitorException;

    /** The streaming server's {@code /streaming/serverz}; empty when no streaming server answers there. */
    Optional<StreamingServerInfo> streamingServer() throws MonitorException;

    /** The streaming channels with their subscriptions ({@code /streaming/channelsz?subs=1}). */
    List<ChannelInfo> channels() throws MonitorException;

    /**
     * Deletes a streaming channel with its messages, ending the subscriptions on it
     * ({@code POST /streaming/channelsz/delete?channel=NAME}, our streaming server's operator action).
     *
     * @return the number of subscriptions that ended, or -1 when there is no such channel
     * @throws MonitorException when the server does not offer the action (404), refuses the token
     *                          (401), or cannot be reached
     */
    int deleteChannel(String channel) throws MonitorException;

    /** The streaming clients with their subscriptions ({@code /streaming/clientsz?subs=1}). */
    List<StreamingClient> streamingClients() throws MonitorException;
}
