package io.natsee.streaming.store;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The limits of a whole store: the reference's {@code store_limits} block: {@code max_channels},
 * the global {@link ChannelLimits}, and per-channel overrides keyed by channel name or by a
 * pattern with the NATS wildcards {@code *} and {@code >} (wildcards are allowed here only).
 *
 * <p>A channel's limits ({@link #forChannel}) start from {@link #global()} and apply every matching
 * override from the widest to the narrowest (a {@code >} before a {@code *} before a literal at the
 * first token where two patterns differ), each inheriting from the one before as
 * {@link ChannelLimits#inheritFrom} says. The result uses 0 for unlimited.
 *
 * <p>Limits are not retroactive: {@link Store#setLimits} applies to channels created afterwards,
 * and recovered channels get the limits in force when they are recovered.
 *
 * @param maxChannels channels allowed, 0 for unlimited
 * @param global limits of every channel without an override (0 = unlimited)
 * @param perChannel overrides by channel name or pattern, in the order given; never null
 */
public record StoreLimits(int maxChannels, ChannelLimits global, Map<String, ChannelLimits> perChannel) {

    /** The reference's defaults: 100 channels and {@link ChannelLimits#DEFAULT}, no overrides. */
    public static final StoreLimits DEFAULT = new StoreLimits(100, ChannelLimits.DEFAULT, Map.of());

    /** No limit at all. */
    public static final StoreLimits UNLIMITED = new StoreLimits(0, ChannelLimits.NONE, Map.of());

    /** Copies the overrides and normalises nulls. */
    public StoreLimits {
        global = Objects.requireNonNullElse(global, ChannelLimits.NONE);
        perChannel = perChannel == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(perChannel));
    }

    /** This with another max channels. */
    public StoreLimits withMaxChannels(int value) {
        return new StoreLimits(value, global, perChannel);
    }

    /** This with other global channel limits. */
    public StoreLimits withGlobal(ChannelLimits value) {
        return new StoreLimits(maxChannels, value, perChannel);
    }

    /** This with one more (or a replaced) override. */
    public StoreLimits withChannel(String nameOrPattern, ChannelLimits override) {
        Map<String, ChannelLimits> copy = new LinkedHashMap<>(perChannel);
        copy.put(nameOrPattern, override);
        return new StoreLimits(maxChannels, global, copy);
    }

    /**
     * Checks these limits as the reference does and throws {@link IllegalArgumentException} with
     * its texts: {@code max channels limit cannot be negative (N)} (likewise for subscriptions,
     * messages, bytes, age, inactivity), {@code invalid channel name "X"}, and
     * {@code too many channels defined (N). The max channels limit is set to M} when more literal
     * channels are configured than allowed.
     */
    public StoreLimits validate() {
        check(maxChannels < 0, "max channels limit cannot be negative (" + maxChannels + ")");
        check(global.maxSubscriptions() < 0,
                "max subscriptions limit cannot be negative (" + global.maxSubscriptions() + ")");
        check(global.maxMsgs() < 0, "max messages limit cannot be negative (" + global.maxMsgs() + ")");
        check(global.maxBytes() < 0, "max bytes limit cannot be negative (" + global.maxBytes() + ")");
        check(global.maxAge().isNegative(), "max age limit cannot be negative (" + global.maxAge() + ")");
        check(global.maxInactivity().isNegative(),
                "max inactivity limit cannot be negative (" + global.maxInactivity() + ")");
        int literals = 0;
        for (String name : perChannel.keySet()) {
            check(!ChannelNames.isValid(name, true), "invalid channel name \"" + name + "\"");
            if (ChannelNames.isLiteral(name)) {
                literals++;
                check(maxChannels > 0 && literals > maxChannels, "too many channels defined (" + literals
                        + "). The max channels limit is set to " + maxChannels);
            }
        }
        return this;
    }

    /** The limits in force for a channel, resolved as the class comment says (0 = unlimited). */
    public ChannelLimits forChannel(String channel) {
        List<String> matches = new ArrayList<>();
        for (String pattern : perChannel.keySet()) {
            if (ChannelNames.matches(pattern, channel)) {
                matches.add(pattern);
            }
        }
        matches.sort(ChannelNames::compareWidth);
        ChannelLimits resolved = global;
        for (String pattern : matches) {
            resolved = perChannel.get(pattern).inheritFrom(resolved);
        }
        return resolved;
    }

    private static void check(boolean failed, String message) {
        if (failed) {
            throw new IllegalArgumentException(message);
        }
    }
}
