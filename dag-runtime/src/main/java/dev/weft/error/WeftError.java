package dev.weft.error;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The engine's error codes: why a task attempt or a job failed, classified once where the failure is caught
 * (the task runner, the executor, the driver's endpoint) and carried with the outcome to the scheduler, the
 * job failure and the diagnostics. Decisions read the code, its {@link #category()} and
 * {@link #isRetriable()}; never an exception's class name or message.
 *
 * <p>What the scheduler does, by category: {@link ErrorCategory#USER}, {@link ErrorCategory#RESOURCE} and
 * {@link ErrorCategory#INTERNAL} failures count against the task's attempt limit when retriable and abort the
 * stage at once when not; {@link ErrorCategory#INFRASTRUCTURE} failures re-run the attempt without counting
 * it; {@link ErrorCategory#DATA} failures re-run the lost map output and then the reading stage.
 *
 * <p>{@link #id()} is stable and travels in the executor protocol ({@code StatusUpdate.error_code}): never
 * renumber or reuse one, only add. This package imports nothing else of the engine, so every module can use it.
 */
public enum WeftError {
    // ---- USER: 1xx
    /** The task's code threw (a function passed to a transformation, or the engine on its behalf). */
    USER_CODE_FAILED(100, ErrorCategory.USER, true),
    /** A task, its closure, its result or an accumulator value cannot be serialized: every retry fails alike. */
    NOT_SERIALIZABLE(101, ErrorCategory.USER, false),
    /** The task's result is larger than the executor protocol's maximum frame. */
    RESULT_TOO_LARGE(102, ErrorCategory.USER, false),
    /** The serialized task is larger than the executor protocol's maximum frame. */
    TASK_TOO_LARGE(103, ErrorCategory.USER, false),
    /** The job was cancelled: the context closed or the job's caller gave up. */
    JOB_CANCELLED(104, ErrorCategory.USER, false),
    /** The job could not be cut into stages and tasks, e.g. its input cannot be listed. */
    PLANNING_FAILED(105, ErrorCategory.USER, false),

    // ---- INFRASTRUCTURE: 2xx
    /** The executor running the attempt went away (container ended, connection closed, heartbeats stopped). */
    EXECUTOR_LOST(200, ErrorCategory.INFRASTRUCTURE, true),
    /** The attempt was killed on request (stage cancelled, speculative copy no longer needed). */
    TASK_KILLED(201, ErrorCategory.INFRASTRUCTURE, true),
    /**
     * The ResourceManager took the executor's container back for another queue (CapacityScheduler preemption),
     * or the executor application gave it back on the RM's request: the attempt did nothing wrong.
     */
    EXECUTOR_PREEMPTED(202, ErrorCategory.INFRASTRUCTURE, true),
    /**
     * The backend cannot run executors at all (the executor application could not be registered, or executors
     * failed more often than the backend replaces them): jobs fail naming why instead of waiting for executors.
     */
    EXECUTORS_UNAVAILABLE(203, ErrorCategory.INFRASTRUCTURE, false),

    // ---- RESOURCE: 3xx
    /** The attempt ran out of heap (an {@link OutOfMemoryError} in the task). */
    OUT_OF_MEMORY(300, ErrorCategory.RESOURCE, true),
    /** The executor's container was killed for exceeding its memory limit, taking its attempts with it. */
    CONTAINER_KILLED_FOR_MEMORY(301, ErrorCategory.RESOURCE, true),

    // ---- DATA: 4xx
    /** A shuffle block could not be fetched: its map output is lost. */
    FETCH_FAILED(400, ErrorCategory.DATA, true),
    /** A shuffle block arrived but failed its checksum: its map output is re-run. */
    SHUFFLE_BLOCK_CORRUPT(401, ErrorCategory.DATA, true),
    /** The server holding a shuffle block cannot be reached: every map output it serves is lost. */
    SHUFFLE_SERVER_UNREACHABLE(402, ErrorCategory.DATA, true),

    // ---- INTERNAL: 5xx
    /** A bug or unexpected state in the engine, e.g. the driver cannot read an outcome it was sent. */
    INTERNAL_ERROR(500, ErrorCategory.INTERNAL, true);

    private static final Map<Integer, WeftError> BY_ID = new HashMap<>();

    static {
        for (WeftError e : values()) {
            if (BY_ID.put(e.id, e) != null) {
                throw new ExceptionInInitializerError("duplicate WeftError id " + e.id);
            }
        }
    }

    private final int id;
    private final ErrorCategory category;
    private final boolean retriable;

    WeftError(int id, ErrorCategory category, boolean retriable) {
        this.id = id;
        this.category = category;
        this.retriable = retriable;
    }

    /** The stable numeric id, as carried on the wire; never 0 (0 means "no error" in protobuf). */
    public int id() {
        return id;
    }

    public ErrorCategory category() {
        return category;
    }

    /** Whether running the work again may succeed; false for failures every attempt would repeat. */
    public boolean isRetriable() {
        return retriable;
    }

    /** The name in brackets, as diagnostics start: {@code [USER_CODE_FAILED]}. */
    public String tag() {
        return "[" + name() + "]";
    }

    /** The code with {@code id}, or empty for an id this version does not know (a newer peer's). */
    public static Optional<WeftError> fromId(int id) {
        return Optional.ofNullable(BY_ID.get(id));
    }
}
