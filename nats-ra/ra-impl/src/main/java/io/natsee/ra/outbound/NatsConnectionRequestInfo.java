package io.natsee.ra.outbound;

import jakarta.resource.spi.ConnectionRequestInfo;

/**
 * The per-request credentials a managed connection was opened with; a record, so pools match
 * connections by value.
 *
 * @param user the user name, or null to use the factory's
 * @param password the password, or null
 */
public record NatsConnectionRequestInfo(String user, String password) implements ConnectionRequestInfo {

    @Override
    public String toString() {
        return "NatsConnectionRequestInfo[user=" + user + "]";
    }
}
