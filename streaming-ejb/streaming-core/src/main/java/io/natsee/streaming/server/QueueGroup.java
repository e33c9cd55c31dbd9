package io.natsee.streaming.server;

import java.util.ArrayList;
import java.util.List;

/**
 * A queue group on one channel: its members share one position and each message goes to one member.
 * A durable group ({@code durable:group}) outlives its members' closing: the last member to close stays as
 * the group's offline {@link #shadow}, holding the position and the unacknowledged messages, and the next member
 * to join takes it over. Touched only on the engine thread.
 */
final class QueueGroup {
    final String name;
    final boolean durable;
    long lastSent;
    final List<Subscriber> members = new ArrayList<>();
    /** The offline record of a durable group without members, or null. */
    Subscriber shadow;
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

    /** The member with the fewest unacknowledged messages (members must not be empty). */
    Subscriber leastBusy() {
        Subscriber chosen = members.get(0);
        for (Subscriber member : members) {
            if (member.pending.size() < chosen.pending.size()) {
                chosen = member;
            }
        }
        return chosen;
    }
}
