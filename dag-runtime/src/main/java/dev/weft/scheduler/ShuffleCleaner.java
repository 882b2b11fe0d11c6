package dev.weft.scheduler;

import dev.weft.plan.ShuffleDependency;
import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Notices shuffles nobody can use again: a tracked {@link ShuffleDependency} that the program no longer reaches (no
 * dataset, no running job, no scheduler stage holds it) is garbage-collected, and its shuffle id goes to the callback,
 * which frees the shuffle's map outputs and files. A shuffle whose dependency is still reachable is never reported,
 * however long ago it ran: a later job may read it again.
 *
 * <p>When is up to the garbage collector; a driver that holds every dataset keeps every shuffle, as it must.
 * Thread-safe: {@link #track} from the scheduler thread, the callback on this cleaner's own daemon thread
 * ("weft-shuffle-cleaner"). Lifecycle: {@link #start}, then {@link #close}.
 */
final class ShuffleCleaner implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ShuffleCleaner.class);

    /** Holds its shuffle id, which outlives the collected dependency. */
    private static final class Tracked extends WeakReference<ShuffleDependency> {
        final int shuffleId;

        Tracked(ShuffleDependency dependency, ReferenceQueue<ShuffleDependency> queue) {
            super(dependency, queue);
            this.shuffleId = dependency.shuffleId();
        }
    }

    private final ReferenceQueue<ShuffleDependency> queue = new ReferenceQueue<>();
    /** The references themselves must stay reachable until enqueued, or the collector drops them unseen. */
    private final Set<Tracked> tracked = ConcurrentHashMap.newKeySet();

    private final Set<Integer> trackedIds = ConcurrentHashMap.newKeySet();
    private final IntConsumer onUnreachable;
    private final Thread thread;
    private volatile boolean closed;

    /** @param onUnreachable gets each collected shuffle's id, once, on the cleaner's thread; must not block long */
    ShuffleCleaner(IntConsumer onUnreachable) {
        this.onUnreachable = Objects.requireNonNull(onUnreachable, "onUnreachable is null");
        this.thread = new Thread(this::run, "weft-shuffle-cleaner");
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** Watches {@code dependency}; tracking one shuffle twice is a no-op. */
    void track(ShuffleDependency dependency) {
        if (trackedIds.add(dependency.shuffleId())) {
            tracked.add(new Tracked(dependency, queue));
        }
    }

    private void run() {
        while (!closed) {
            Reference<? extends ShuffleDependency> ref;
            try {
                ref = queue.remove(1_000);
            } catch (InterruptedException e) {
                return;
            }
            if (ref instanceof Tracked t && tracked.remove(t)) {
                trackedIds.remove(t.shuffleId);
                try {
                    onUnreachable.accept(t.shuffleId);
                } catch (RuntimeException e) {
                    LOG.warn("cannot clean up shuffle {}: {}", t.shuffleId, e.toString());
                }
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
