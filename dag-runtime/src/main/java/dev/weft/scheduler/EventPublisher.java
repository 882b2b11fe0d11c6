package dev.weft.scheduler;

import dev.weft.events.WeftEvent;
import dev.weft.events.WeftListener;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers scheduler events to listeners, synchronously and in order, on the scheduler thread. Every
 * state transition is also logged here, once.
 */
public final class EventPublisher {
    private static final Logger LOG = LoggerFactory.getLogger("dev.weft.scheduler.Transitions");
    private final List<WeftListener> listeners = new CopyOnWriteArrayList<>();

    public void add(WeftListener l) {
        listeners.add(l);
    }

    public void remove(WeftListener l) {
        listeners.remove(l);
    }

    void publish(WeftEvent e) {
        log(e);
        for (WeftListener l : listeners) {
            try {
                l.onEvent(e);
            } catch (RuntimeException ex) {
                LOG.warn("listener {} failed on {}: {}", l, e.getClass().getSimpleName(), ex.toString());
            }
        }
    }

    private static void log(WeftEvent e) {
        if (e instanceof WeftEvent.TaskStateChanged t) {
            // Launches only at debug; every ended attempt at INFO, so the driver's log names each attempt once. The
            // line is built only when it is logged: this runs on the scheduler thread for every task event.
            boolean logged = t.to() == dev.weft.events.TaskState.RUNNING
                    ? LOG.isDebugEnabled()
                    : t.to() != null && t.to().isTerminal() && LOG.isInfoEnabled();
            if (logged) {
                // The attempt named as TaskDescription#name names it in the executor's log: one string greps both.
                String line = "task " + t.taskId() + " (stage " + t.stageId() + "." + t.stageAttempt() + " partition "
                        + t.partition() + " attempt " + t.attempt() + ") on " + t.executorId() + ": "
                        + (t.from() == null ? "NEW" : t.from()) + " -> " + t.to()
                        + (t.locality() == null ? "" : " at " + t.locality())
                        + (t.reason() == null || t.reason().isEmpty() ? "" : " due to " + t.reason());
                if (t.to() == dev.weft.events.TaskState.RUNNING) {
                    LOG.debug(line);
                } else {
                    LOG.info(line);
                }
            }
        } else if (e instanceof WeftEvent.StageStateChanged s) {
            LOG.info(
                    "stage {}.{} ({}, {} tasks) {} -> {}{}",
                    s.stageId(),
                    s.attempt(),
                    s.name(),
                    s.numTasks(),
                    s.from(),
                    s.to(),
                    s.reason() == null || s.reason().isEmpty() ? "" : " due to " + s.reason());
        } else if (e instanceof WeftEvent.ExecutorStateChanged x && x.to() == dev.weft.events.ExecutorState.LOST) {
            LOG.info(
                    "executor {} on {} {} -> LOST [{}] due to {}",
                    x.executorId(),
                    x.host(),
                    x.from(),
                    x.error() == null ? "" : x.error().name(),
                    x.reason());
        } else if (e instanceof WeftEvent.ExecutorRequested r) {
            LOG.info(
                    "executor requested {}{}: {}",
                    r.node() == null ? "anywhere" : "on " + r.node(),
                    r.strict() ? " (strict)" : "",
                    r.reason());
        } else if (e instanceof WeftEvent.ExclusionChanged x) {
            if (x.excluded()) {
                LOG.warn(
                        "{} {} excluded until {}: {}",
                        x.scope().name().toLowerCase(java.util.Locale.ROOT),
                        x.target(),
                        java.time.Instant.ofEpochMilli(x.untilMillis()),
                        x.reason());
            } else {
                LOG.info(
                        "{} {} no longer excluded: {}",
                        x.scope().name().toLowerCase(java.util.Locale.ROOT),
                        x.target(),
                        x.reason());
            }
        } else if (e instanceof WeftEvent.JobStateChanged j) {
            LOG.info(
                    "job {} ({}) {} -> {}{}",
                    j.jobId(),
                    j.callSite(),
                    j.from(),
                    j.to(),
                    j.reason() == null || j.reason().isEmpty() ? "" : " due to " + j.reason());
        }
    }
}
