package dev.weft.task;

import dev.weft.error.ErrorCategory;
import dev.weft.error.WeftError;
import dev.weft.metrics.TaskMetrics;
import dev.weft.storage.BlockManager.BlockId;
import java.io.Serializable;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** How a task attempt ended, as sent from the executor to the driver. */
public sealed interface TaskOutcome extends Serializable {

    TaskMetrics metrics();

    /**
     * @param value        the task's return value, serialized with the default serializer
     * @param accumulators accumulator id to the attempt's local value
     * @param cachedBlocks partitions the attempt stored in its executor's cache, so the driver can send later
     *                     tasks reading them to that executor (PROCESS_LOCAL)
     */
    record Success(byte[] value, Map<Long, Object> accumulators, TaskMetrics metrics, List<BlockId> cachedBlocks)
            implements TaskOutcome {
        public Success {
            Objects.requireNonNull(value, "value is null");
            accumulators = Map.copyOf(accumulators);
            Objects.requireNonNull(metrics, "metrics is null");
            cachedBlocks = List.copyOf(cachedBlocks);
        }

        /** A success that cached nothing. */
        public Success(byte[] value, Map<Long, Object> accumulators, TaskMetrics metrics) {
            this(value, accumulators, metrics, List.of());
        }
    }

    /**
     * Every way an attempt can end without a result. The {@link #error()} was chosen where the failure was
     * caught, and it alone (code, category, retriability) drives what the scheduler does next; each record
     * checks that its code belongs to its kind, so a decision on the category can rely on the record's fields.
     */
    sealed interface Failure extends TaskOutcome {
        WeftError error();

        /** One line for diagnostics, starting with the code: {@code [USER_CODE_FAILED] java.lang.X: boom}. */
        String summary();
    }

    /**
     * The task threw, or the engine failed it on its behalf (a result too large, an outcome that cannot be
     * serialized). Carries a USER, RESOURCE or INTERNAL code.
     *
     * @param className          the thrown exception's class, for diagnostics only; null when nothing was thrown
     * @param stackTrace         the executor-side stack trace; empty when nothing was thrown
     * @param serializedThrowable the Java-serialized exception, or null when it could not be serialized
     */
    record ExceptionFailure(
            WeftError error,
            String className,
            String message,
            String stackTrace,
            byte[] serializedThrowable,
            TaskMetrics metrics)
            implements Failure {
        public ExceptionFailure {
            Objects.requireNonNull(error, "error is null");
            if (error.category() == ErrorCategory.DATA || error.category() == ErrorCategory.INFRASTRUCTURE) {
                throw new IllegalArgumentException(error + " is not an exception failure's code");
            }
            Objects.requireNonNull(stackTrace, "stackTrace is null");
        }

        @Override
        public String summary() {
            if (className == null) {
                return error.tag() + " " + message;
            }
            return error.tag() + " " + (message == null ? className : className + ": " + message);
        }
    }

    /**
     * A shuffle block could not be read; the map output is lost, not the task's fault. The code says how:
     * {@link WeftError#FETCH_FAILED}, {@link WeftError#SHUFFLE_BLOCK_CORRUPT} (it arrived but failed its
     * checksum) or {@link WeftError#SHUFFLE_SERVER_UNREACHABLE} (every output that server holds is lost).
     * {@code mapAttemptId} is the attempt that wrote the output the reader failed on ({@code
     * FetchFailedException.UNKNOWN_ATTEMPT} when it knew none).
     */
    record FetchFailure(
            WeftError error,
            int shuffleId,
            int mapId,
            long mapAttemptId,
            int reduceId,
            String location,
            String message,
            TaskMetrics metrics)
            implements Failure {
        public FetchFailure {
            Objects.requireNonNull(error, "error is null");
            if (error.category() != ErrorCategory.DATA) {
                throw new IllegalArgumentException(error + " is not a fetch failure's code");
            }
        }

        @Override
        public String summary() {
            return error.tag() + " " + message;
        }
    }

    /** The attempt was killed on request; always {@link WeftError#TASK_KILLED}. */
    record Killed(String reason, TaskMetrics metrics) implements Failure {
        @Override
        public WeftError error() {
            return WeftError.TASK_KILLED;
        }

        @Override
        public String summary() {
            return error().tag() + " " + reason;
        }
    }

    /**
     * The executor running the attempt went away. {@link WeftError#EXECUTOR_LOST} re-runs the attempt elsewhere
     * without counting it; a RESOURCE code (its container was killed for memory) counts against the task.
     */
    record ExecutorLost(WeftError error, String executorId, String reason, TaskMetrics metrics) implements Failure {
        public ExecutorLost {
            Objects.requireNonNull(error, "error is null");
            if (error.category() != ErrorCategory.INFRASTRUCTURE && error.category() != ErrorCategory.RESOURCE) {
                throw new IllegalArgumentException(error + " is not a lost executor's code");
            }
        }

        /** Lost for no more specific reason than {@link WeftError#EXECUTOR_LOST}. */
        public ExecutorLost(String executorId, String reason, TaskMetrics metrics) {
            this(WeftError.EXECUTOR_LOST, executorId, reason, metrics);
        }

        @Override
        public String summary() {
            return error.tag() + " executor " + executorId + " lost: " + reason;
        }
    }
}
