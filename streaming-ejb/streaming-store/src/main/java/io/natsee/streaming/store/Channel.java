package io.natsee.streaming.store;

/**
 * A channel of a store: its message log and its subscriptions, with the limits resolved for it
 * when it was created or recovered.
 *
 * @param name the channel's name (a literal subject)
 * @param messages the channel's append-only message log
 * @param subscriptions the positions of the channel's consumers
 * @param limits the channel's limits (0 = unlimited), see {@link StoreLimits#forChannel}
 */
public record Channel(String name, MsgStore messages, SubStore subscriptions, ChannelLimits limits) {
}
