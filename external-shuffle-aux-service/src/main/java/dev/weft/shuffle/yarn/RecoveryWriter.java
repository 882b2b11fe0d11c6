package dev.weft.shuffle.yarn;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs {@link SecretRecoveryStore} writes and deletes on one background thread, in submission order, so the
 * NodeManager dispatcher thread that calls {@code initializeApplication}/{@code stopApplication} never waits for disk.
 * A failed write is logged: the app is still served, it just would not survive an NM restart.
 *
 * <p>Thread-safe: submit from any thread; {@link #close} drains pending work (bounded wait) and stops the thread.
 */
final class RecoveryWriter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RecoveryWriter.class);
    private static final long DRAIN_SECONDS = 10;

    private final SecretRecoveryStore store;
    private final ExecutorService thread;

    RecoveryWriter(SecretRecoveryStore store) {
        this.store = requireNonNull(store, "store is null");
        ThreadPoolExecutor executor =
                new ThreadPoolExecutor(1, 1, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
                    Thread t = new Thread(r, "weft-shuffle-recovery");
                    t.setDaemon(true);
                    return t;
                });
        // Idle most of the time: let the thread go instead of parking one per NodeManager forever.
        executor.allowCoreThreadTimeOut(true);
        this.thread = executor;
    }

    void save(AppSecrets.Registration registration) {
        submit("save " + registration.appId(), () -> store.save(registration));
    }

    void delete(String appId) {
        submit("delete " + appId, () -> store.delete(appId));
    }

    private interface IoAction {
        void run() throws IOException;
    }

    private void submit(String what, IoAction action) {
        try {
            thread.execute(() -> {
                try {
                    action.run();
                } catch (IOException | RuntimeException e) {
                    LOG.warn("shuffle recovery store: cannot {} in {}: {}", what, store.dir(), e.toString());
                }
            });
        } catch (RejectedExecutionException e) {
            LOG.warn("shuffle recovery store closed; dropped {}", what);
        }
    }

    /** Finishes queued work (up to {@value #DRAIN_SECONDS} s) and stops the thread. */
    @Override
    public void close() {
        thread.shutdown();
        try {
            if (!thread.awaitTermination(DRAIN_SECONDS, TimeUnit.SECONDS)) {
                LOG.warn("shuffle recovery store: pending writes abandoned after {} s", DRAIN_SECONDS);
                thread.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            thread.shutdownNow();
        }
    }
}
