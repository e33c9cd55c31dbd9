package io.natsee.streaming.server;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * A queue group on one channel: its members share one position and each message goes to one member.
 * A durable group ({@code durable:group}) outlives its members' closing; touched only on the engine thread.
 */
final class QueueGroup {
    final String name;
    final boolean durable;
    long lastSent;
    final List<Subscriber> members = new ArrayList<>();
    /** Unacknowledged messages of members that left while nobody could take them over. */
    final TreeMap<Long, Subscriber.Pending> orphaned = new TreeMap<>();
    private int next;

    QueueGroup(String name, boolean durable) {
        this.name = name;
        this.durable = durable;
    }

    /** The next member with room, round robin, or null. */
    Subscriber pick() {
        int size = members.size();
        for (int i = 0; i < size; i++) {
            Subscriber candidate = members.get((next + i) % size);
            if (candidate.hasRoom()) {
                next = (next + i + 1) % size;
                return candidate;
            }
        }
        return null;
    }
}
