package io.natsee.examples.greeter;

import jakarta.ejb.Lock;
import jakarta.ejb.LockType;
import jakarta.ejb.Singleton;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/** The last 100 messages the bean received. */
@Singleton
public class Inbox {

    private static final int CAPACITY = 100;
    private final Deque<String> received = new ArrayDeque<>();

    @Lock(LockType.WRITE)
    public void add(String entry) {
        if (received.size() == CAPACITY) {
            received.removeFirst();
        }
        received.addLast(entry);
    }

    @Lock(LockType.READ)
    public List<String> received() {
        return new ArrayList<>(received);
    }
}
