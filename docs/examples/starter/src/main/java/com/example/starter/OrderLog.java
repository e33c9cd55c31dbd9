package com.example.starter;

import jakarta.ejb.Lock;
import jakarta.ejb.LockType;
import jakarta.ejb.Singleton;
import java.util.ArrayList;
import java.util.List;

/** What the message listener received, kept in memory (the last 100 entries). */
@Singleton
public class OrderLog {

    private static final int KEPT = 100;
    private final List<String> received = new ArrayList<>();

    @Lock(LockType.WRITE)
    public void add(String entry) {
        received.add(entry);
        if (received.size() > KEPT) {
            received.remove(0);
        }
    }

    @Lock(LockType.READ)
    public List<String> received() {
        return List.copyOf(received);
    }
}
