package dev.weft.testkit;

import dev.weft.events.JobState;
import dev.weft.events.StageState;
import dev.weft.events.TaskState;
import dev.weft.events.WeftEvent;
import java.util.Locale;
import java.util.Objects;

/**
 * A named point of a job at which its driver pauses, so that a test can inject a fault at exactly that point: "after
 * stage 0 succeeds", "when stage 1 starts running", "after 2 tasks of stage 0 succeeded". The driver recognizes it in
 * its own event stream ({@link EventRecorder}), holds its scheduler there until the test {@linkplain
 * SubmittedJob#resume resumes} it, and lets the job go on. Tasks already running keep running during the pause; no
 * new task starts and no stage is submitted.
 *
 * <p>A point fires once, at the first event that matches. Its {@linkplain #spec() spec} (e.g. {@code
 * stage-succeeded-0}) is how it travels to the driver ({@code weft.testkit.pause-at}) and names the marker files of
 * the pause.
 *
 * <p>Immutable.
 */
public final class FaultPoint {
    /** What a point waits for. */
    public enum Kind {
        STAGE_RUNNING("stage-running"),
        STAGE_SUCCEEDED("stage-succeeded"),
        TASKS_SUCCEEDED("tasks-succeeded"),
        JOB_SUCCEEDED("job-succeeded");

        private final String prefix;

        Kind(String prefix) {
            this.prefix = prefix;
        }
    }

    private final Kind kind;
    private final int id;
    private final int count;

    private FaultPoint(Kind kind, int id, int count) {
        if (id < 0) {
            throw new IllegalArgumentException("a stage or job id is >= 0, not " + id);
        }
        if (count < 1) {
            throw new IllegalArgumentException("a task count is >= 1, not " + count);
        }
        this.kind = kind;
        this.id = id;
        this.count = count;
    }

    /** The first attempt of stage {@code stageId} starts running (before its first task is launched). */
    public static FaultPoint stageRunning(int stageId) {
        return new FaultPoint(Kind.STAGE_RUNNING, stageId, 1);
    }

    /** Stage {@code stageId} succeeded: its output is complete, and the stages that read it are not submitted yet. */
    public static FaultPoint stageSucceeded(int stageId) {
        return new FaultPoint(Kind.STAGE_SUCCEEDED, stageId, 1);
    }

    /** The {@code n}-th successful task attempt of stage {@code stageId} (any attempt of the stage). */
    public static FaultPoint tasksSucceeded(int stageId, int n) {
        return new FaultPoint(Kind.TASKS_SUCCEEDED, stageId, n);
    }

    /** Job {@code jobId} (0 for a program's first action) succeeded, before the program's next action. */
    public static FaultPoint jobSucceeded(int jobId) {
        return new FaultPoint(Kind.JOB_SUCCEEDED, jobId, 1);
    }

    public Kind kind() {
        return kind;
    }

    /** The stage or job id the point names. */
    public int id() {
        return id;
    }

    /** The number of task successes {@link Kind#TASKS_SUCCEEDED} waits for; 1 for other kinds. */
    public int count() {
        return count;
    }

    /**
     * The point as one word, usable as a file name: {@code stage-running-<id>}, {@code stage-succeeded-<id>}, {@code
     * tasks-succeeded-<id>-<n>} or {@code job-succeeded-<id>}.
     */
    public String spec() {
        return kind.prefix + "-" + id + (kind == Kind.TASKS_SUCCEEDED ? "-" + count : "");
    }

    /** The point a {@link #spec()} names. */
    public static FaultPoint parse(String spec) {
        String s = spec.trim().toLowerCase(Locale.ROOT);
        for (Kind k : Kind.values()) {
            if (s.startsWith(k.prefix + "-")) {
                String[] numbers = s.substring(k.prefix.length() + 1).split("-", -1);
                int expected = k == Kind.TASKS_SUCCEEDED ? 2 : 1;
                if (numbers.length != expected) {
                    break;
                }
                try {
                    int first = Integer.parseInt(numbers[0]);
                    int second = expected == 2 ? Integer.parseInt(numbers[1]) : 1;
                    return new FaultPoint(k, first, second);
                } catch (NumberFormatException e) {
                    break;
                }
            }
        }
        throw new IllegalArgumentException("'" + spec + "' is not a fault point; expected stage-running-<stage>,"
                + " stage-succeeded-<stage>, tasks-succeeded-<stage>-<n> or job-succeeded-<job>");
    }

    /**
     * Whether {@code event} reaches this point, given how many task attempts of the named stage had succeeded before
     * it ({@code succeededBefore}, counted by the caller).
     */
    boolean reachedBy(WeftEvent event, int succeededBefore) {
        return switch (kind) {
            case STAGE_RUNNING ->
                event instanceof WeftEvent.StageStateChanged s && s.stageId() == id && s.to() == StageState.RUNNING;
            case STAGE_SUCCEEDED ->
                event instanceof WeftEvent.StageStateChanged s && s.stageId() == id && s.to() == StageState.SUCCEEDED;
            case TASKS_SUCCEEDED ->
                event instanceof WeftEvent.TaskStateChanged t
                        && t.stageId() == id
                        && t.to() == TaskState.SUCCEEDED
                        && succeededBefore + 1 == count;
            case JOB_SUCCEEDED ->
                event instanceof WeftEvent.JobStateChanged j && j.jobId() == id && j.to() == JobState.SUCCEEDED;
        };
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FaultPoint p && p.kind == kind && p.id == id && p.count == count;
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, id, count);
    }

    @Override
    public String toString() {
        return spec();
    }
}
