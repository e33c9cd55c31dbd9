package io.natsee.broker.transport;

/** Turns a newly accepted connection into the listener that serves it. */
@FunctionalInterface
public interface ChannelAcceptor {

    /** Called on the new channel's IO thread before any byte is read. */
    ChannelListener accept(TransportChannel channel);
}
