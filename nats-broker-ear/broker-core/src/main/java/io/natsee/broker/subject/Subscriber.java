package io.natsee.broker.subject;

/** The owner of subscriptions: the connection that messages matching them are delivered to. */
public interface Subscriber {

    /** A number unique among the broker's connections, for monitoring and tie-breaking. */
    long id();

    /** Whether the subscriber is gone; matches skip closed subscribers. */
    boolean isClosed();
}
