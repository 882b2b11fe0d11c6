package dev.weft.yarn;

import dev.weft.events.JobState;
import dev.weft.events.WeftEvent;
import dev.weft.events.WeftListener;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * When a program reached each phase of its start on YARN, so a user sees where the seconds before the first task
 * went (submission, the ApplicationMaster's JVM, the executor application, containers, executor JVMs). Each phase is
 * recorded once, the first time it happens; the driver logs the line when the first job ends and the client prints it
 * from the application's final diagnostics.
 *
 * <p>Thread-safe: phases are marked from the driver's main thread, the allocator, Netty threads and the scheduler
 * thread (as a listener).
 */
final class StartupTimeline implements WeftListener {
    private static final Logger LOG = LoggerFactory.getLogger(StartupTimeline.class);
    /** The prefix of the line in the application's final diagnostics, which the client looks for. */
    static final String PREFIX = "start-up: ";

    /** In the order they normally happen. */
    enum Phase {
        SUBMITTED("submitted"),
        AM_JVM_STARTED("AM JVM started"),
        MAIN_STARTED("main started"),
        EXECUTOR_APP_REGISTERED("executor application registered"),
        FIRST_CONTAINER_ALLOCATED("first container allocated"),
        FIRST_EXECUTOR_REGISTERED("first executor registered"),
        FIRST_TASK_LAUNCHED("first task launched"),
        FIRST_JOB_DONE("first job done"),
        PROGRAM_DONE("program done");

        private final String label;

        Phase(String label) {
            this.label = label;
        }
    }

    private final LongSupplier clockMillis;
    private final Map<Phase, Long> at = new EnumMap<>(Phase.class);

    StartupTimeline(LongSupplier clockMillis) {
        this.clockMillis = clockMillis;
    }

    /** Records {@code phase} now, unless it was recorded before. */
    void mark(Phase phase) {
        markAt(phase, clockMillis.getAsLong());
    }

    /** Records {@code phase} at {@code epochMillis} (known from elsewhere, e.g. the client's submission time). */
    synchronized void markAt(Phase phase, long epochMillis) {
        at.putIfAbsent(phase, epochMillis);
    }

    synchronized Long at(Phase phase) {
        return at.get(phase);
    }

    @Override
    public void onEvent(WeftEvent event) {
        if (event instanceof WeftEvent.JobStateChanged j
                && j.to() != JobState.RUNNING
                && at(Phase.FIRST_JOB_DONE) == null) {
            mark(Phase.FIRST_JOB_DONE);
            LOG.info("{}{}", PREFIX, summary());
        }
    }

    /**
     * The phases reached, in seconds after the first one recorded, e.g. {@code submitted +0.0 s, AM JVM started
     * +1.4 s, …}; phases never reached are left out.
     */
    synchronized String summary() {
        long origin = at.values().stream().mapToLong(Long::longValue).min().orElse(0);
        StringJoiner out = new StringJoiner(", ");
        for (Phase p : Phase.values()) {
            Long t = at.get(p);
            if (t != null) {
                out.add(String.format(Locale.ROOT, "%s +%.1f s", p.label, (t - origin) / 1000.0));
            }
        }
        return out.toString();
    }
}
