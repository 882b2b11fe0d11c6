package dev.weft.task;

import dev.weft.error.WeftError;
import dev.weft.exec.ExecutorEnv;
import dev.weft.exec.TaskContext;
import dev.weft.plan.UserCodeException;
import dev.weft.serde.RecordOutput;
import dev.weft.serde.SerializationException;
import dev.weft.serde.ValueSerializer;
import dev.weft.shuffle.FetchFailedException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Runs one task attempt on an executor thread: deserializes the task, runs it with a {@link TaskContext}
 * installed, releases the task's resources, and turns every way of ending into a {@link TaskOutcome}.
 * Used by every backend, so local and YARN executors behave the same. Stateless and thread-safe.
 */
public final class TaskRunner {
    private static final Logger LOG = LoggerFactory.getLogger(TaskRunner.class);

    /** The logging context key naming the running attempt, e.g. {@code task 12 (stage 1.0 partition 3 attempt 0)}. */
    public static final String LOG_KEY = "task";

    private TaskRunner() {}

    /**
     * @param onStart called with the attempt's context before it runs, so the backend can kill it
     */
    public static TaskOutcome run(TaskDescription desc, ExecutorEnv env, Consumer<TaskContext> onStart) {
        TaskContext ctx = new TaskContext(
                desc.stageId(), desc.stageAttempt(), desc.partition(), desc.attempt(), desc.taskId(), env);
        long start = System.nanoTime();
        long gcStart = gcMillis();
        TaskContext.set(ctx);
        // Every line the attempt logs on this thread names it (the container logs' pattern shows %X{task}).
        MDC.put(LOG_KEY, desc.name());
        try {
            Object value;
            try {
                onStart.accept(ctx);
                Task task = deserialize(desc.serializedTask());
                value = task.run(ctx);
                Throwable closeFailure = ctx.complete();
                if (closeFailure != null) {
                    throw closeFailure;
                }
            } catch (Throwable t) {
                ctx.complete();
                finish(ctx, start, gcStart);
                return failure(t, ctx);
            }
            RecordOutput out = new RecordOutput(64);
            try {
                ValueSerializer.INSTANCE.write(value, out);
            } catch (SerializationException e) {
                // Every attempt would compute the same value and fail the same way: say so, do not retry.
                finish(ctx, start, gcStart);
                return exceptionFailure(WeftError.NOT_SERIALIZABLE, e, ctx);
            }
            Map<Long, Object> accs = new HashMap<>();
            ctx.accumulators().forEach((id, acc) -> accs.put(id, acc.taskValue()));
            finish(ctx, start, gcStart);
            return new TaskOutcome.Success(out.toByteArray(), accs, ctx.metrics(), ctx.cachedBlocks());
        } finally {
            MDC.remove(LOG_KEY);
            TaskContext.set(null);
            releaseMemory(ctx);
        }
    }

    private static void finish(TaskContext ctx, long startNanos, long gcStartMillis) {
        ctx.metrics().runNanos = System.nanoTime() - startNanos;
        ctx.metrics().gcMillis = Math.max(0, gcMillis() - gcStartMillis);
    }

    /** Collection time of all of the JVM's collectors so far; a collector that does not say counts as 0. */
    private static long gcMillis() {
        long total = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            total += Math.max(0, gc.getCollectionTime());
        }
        return total;
    }

    /** Whatever the attempt still holds goes back, so that no ending of a task can shrink the budget. */
    private static void releaseMemory(TaskContext ctx) {
        long leaked = ctx.memory().held();
        if (leaked > 0) {
            LOG.warn("task {} ended holding {} bytes of its memory budget; released", ctx.taskAttemptId(), leaked);
        }
        ctx.memory().close();
    }

    /** Classifies what the task threw; the scheduler acts on the code chosen here and nothing else. */
    static TaskOutcome failure(Throwable t, TaskContext ctx) {
        if (t instanceof TaskKilledException) {
            return new TaskOutcome.Killed(t.getMessage(), ctx.metrics());
        }
        if (ctx.isKilled()) {
            // Asked to stop: whatever it threw on the way out (an interrupted read, a closed channel, its own "stop"
            // exception) is the kill's doing, not a failure of the task, its executor or a map output.
            return new TaskOutcome.Killed("killed (then threw " + t + ")", ctx.metrics());
        }
        FetchFailedException ff = findFetchFailure(t);
        if (ff != null) {
            WeftError code;
            if (ff.isCorruption()) {
                code = WeftError.SHUFFLE_BLOCK_CORRUPT;
            } else if (causedBy(ff, java.net.ConnectException.class)) {
                code = WeftError.SHUFFLE_SERVER_UNREACHABLE;
            } else {
                code = WeftError.FETCH_FAILED;
            }
            return new TaskOutcome.FetchFailure(
                    code,
                    ff.shuffleId(),
                    ff.mapId(),
                    ff.mapAttemptId(),
                    ff.reduceId(),
                    ff.location(),
                    ff.getMessage(),
                    ctx.metrics());
        }
        Throwable reported = t instanceof UserCodeException && t.getCause() != null ? t.getCause() : t;
        WeftError code;
        if (causedBy(t, OutOfMemoryError.class)) {
            code = WeftError.OUT_OF_MEMORY;
        } else if (causedBy(t, java.io.NotSerializableException.class)) {
            // A record, result or captured value whose class is not Serializable: no attempt can do better.
            code = WeftError.NOT_SERIALIZABLE;
        } else {
            code = WeftError.USER_CODE_FAILED;
        }
        return exceptionFailure(code, reported, ctx);
    }

    private static TaskOutcome exceptionFailure(WeftError code, Throwable reported, TaskContext ctx) {
        StringWriter sw = new StringWriter();
        reported.printStackTrace(new PrintWriter(sw));
        return new TaskOutcome.ExceptionFailure(
                code,
                reported.getClass().getName(),
                reported.getMessage(),
                sw.toString(),
                serializeQuietly(reported),
                ctx.metrics());
    }

    /** User code may wrap a fetch failure; it is still a lost map output, not the task's fault. */
    private static FetchFailedException findFetchFailure(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof FetchFailedException ff) {
                return ff;
            }
            if (c.getCause() == c) {
                break;
            }
        }
        return null;
    }

    private static boolean causedBy(Throwable t, Class<? extends Throwable> type) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (type.isInstance(c)) {
                return true;
            }
        }
        return false;
    }

    private static Task deserialize(byte[] bytes) throws Exception {
        try (ObjectInputStream in = new ValueSerializer.ContextObjectInputStream(new ByteArrayInputStream(bytes))) {
            return (Task) in.readObject();
        }
    }

    private static byte[] serializeQuietly(Throwable t) {
        try {
            ByteArrayOutputStream bos = new ByteArrayOutputStream();
            try (ObjectOutputStream out = new ObjectOutputStream(bos)) {
                out.writeObject(t);
            }
            return bos.toByteArray();
        } catch (Exception e) {
            // The exception (or something it references) is not serializable; class, message and stack still go back.
            return null;
        }
    }
}
