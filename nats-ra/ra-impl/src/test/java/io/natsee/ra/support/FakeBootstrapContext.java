package io.natsee.ra.support;

import jakarta.resource.spi.BootstrapContext;
import jakarta.resource.spi.XATerminator;
import jakarta.resource.spi.work.WorkContext;
import jakarta.resource.spi.work.WorkManager;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.util.Timer;

/**
 * A BootstrapContext with a thread-pool WorkManager and a fake transaction registry.
 */
public final class FakeBootstrapContext implements BootstrapContext {

    private final FakeWorkManager workManager = new FakeWorkManager();
    private final FakeTransactionSynchronizationRegistry registry = new FakeTransactionSynchronizationRegistry();

    @Override
    public WorkManager getWorkManager() {
        return workManager;
    }

    public FakeWorkManager workManager() {
        return workManager;
    }

    public FakeTransactionSynchronizationRegistry transactions() {
        return registry;
    }

    @Override
    public XATerminator getXATerminator() {
        return null;
    }

    @Override
    public Timer createTimer() {
        return new Timer(true);
    }

    @Override
    public boolean isContextSupported(Class<? extends WorkContext> contextClass) {
        return false;
    }

    @Override
    public TransactionSynchronizationRegistry getTransactionSynchronizationRegistry() {
        return registry;
    }
}
