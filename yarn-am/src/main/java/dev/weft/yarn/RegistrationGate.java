package dev.weft.yarn;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Holds back the first executor registrations until enough executors are up (or a deadline passes), so the
 * first stage is not scheduled onto the first one or two executors to start: with delay scheduling, tasks
 * whose data sits on a node whose executor is still starting would otherwise give up locality after the
 * wait and run elsewhere (Spark's minRegisteredResourcesRatio, for the same reason). Once released, every
 * registration passes straight through.
 *
 * <p>Thread-safe: registrations arrive on Netty threads, the deadline fires on a timer thread.
 */
final class RegistrationGate implements AutoCloseable {
    private final int needed;
    private final List<Runnable> held = new ArrayList<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "weft-registration-gate");
        t.setDaemon(true);
        return t;
    });
    private final long maxWaitMillis;
    private boolean open;
    private boolean clockStarted;

    /**
     * @param needed  registrations to wait for (e.g. 80% of the requested executors, rounded up)
     * @param maxWaitMillis after this long from {@link #startClock()} the gate opens with whoever registered
     */
    RegistrationGate(int needed, long maxWaitMillis) {
        if (maxWaitMillis < 0) {
            throw new IllegalArgumentException("maxWaitMillis is negative: " + maxWaitMillis);
        }
        this.needed = Math.max(1, needed);
        this.maxWaitMillis = maxWaitMillis;
    }

    /**
     * Starts the deadline; later calls do nothing. Called when the executors are asked for, not when the driver starts:
     * a program may spend longer than the deadline before its first job that needs executors (uber mode runs the
     * earlier ones in the driver), and the wait is for executors starting, not for the program.
     */
    synchronized void startClock() {
        if (clockStarted || open) {
            return;
        }
        clockStarted = true;
        timer.schedule(this::openNow, maxWaitMillis, TimeUnit.MILLISECONDS);
    }

    synchronized boolean clockStarted() {
        return clockStarted;
    }

    /** Runs {@code registration} now if the gate is open, else when it opens (in arrival order). */
    void register(Runnable registration) {
        List<Runnable> release;
        synchronized (this) {
            if (open) {
                release = List.of(registration);
            } else {
                held.add(registration);
                if (held.size() < needed) {
                    return;
                }
                release = takeAll();
            }
        }
        release.forEach(Runnable::run);
    }

    void openNow() {
        List<Runnable> release;
        synchronized (this) {
            if (open) {
                return;
            }
            release = takeAll();
        }
        release.forEach(Runnable::run);
    }

    synchronized boolean isOpen() {
        return open;
    }

    private List<Runnable> takeAll() {
        open = true;
        List<Runnable> all = new ArrayList<>(held);
        held.clear();
        timer.shutdown();
        return all;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
