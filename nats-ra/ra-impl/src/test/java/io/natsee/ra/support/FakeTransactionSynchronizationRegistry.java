package io.natsee.ra.support;

import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A transaction registry with one thread-bound transaction at a time, begun, committed and
 * rolled back by the test.
 */
public final class FakeTransactionSynchronizationRegistry implements TransactionSynchronizationRegistry {

    private static final class Transaction {
        int status = Status.STATUS_ACTIVE;
        final Map<Object, Object> resources = new HashMap<>();
        final List<Synchronization> synchronizations = new ArrayList<>();
    }

    private final ThreadLocal<Transaction> current = new ThreadLocal<>();

    public void begin() {
        current.set(new Transaction());
    }

    public void commit() {
        end(Status.STATUS_COMMITTED);
    }

    public void rollback() {
        end(Status.STATUS_ROLLEDBACK);
    }

    private void end(int status) {
        Transaction transaction = current.get();
        current.remove();
        transaction.synchronizations.forEach(Synchronization::beforeCompletion);
        transaction.status = status;
        transaction.synchronizations.forEach(synchronization -> synchronization.afterCompletion(status));
    }

    private Transaction required() {
        Transaction transaction = current.get();
        if (transaction == null) {
            throw new IllegalStateException("no transaction");
        }
        return transaction;
    }

    @Override
    public Object getTransactionKey() {
        return current.get();
    }

    @Override
    public void putResource(Object key, Object value) {
        required().resources.put(key, value);
    }

    @Override
    public Object getResource(Object key) {
        return required().resources.get(key);
    }

    @Override
    public void registerInterposedSynchronization(Synchronization synchronization) {
        required().synchronizations.add(synchronization);
    }

    @Override
    public int getTransactionStatus() {
        Transaction transaction = current.get();
        return transaction == null ? Status.STATUS_NO_TRANSACTION : transaction.status;
    }

    @Override
    public void setRollbackOnly() {
        required().status = Status.STATUS_MARKED_ROLLBACK;
    }

    @Override
    public boolean getRollbackOnly() {
        return required().status == Status.STATUS_MARKED_ROLLBACK;
    }
}
