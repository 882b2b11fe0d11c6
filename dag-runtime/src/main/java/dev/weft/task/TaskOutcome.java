package dev.weft.task;

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

    /** User code or the engine threw; counts toward the task's attempt limit. */
    record ExceptionFailure(
            String className, String message, String stackTrace, byte[] serializedThrowable, TaskMetrics metrics)
            implements TaskOutcome {
        public ExceptionFailure {
            Objects.requireNonNull(className, "className is null");
            Objects.requireNonNull(stackTrace, "stackTrace is null");
        }

        public String summary() {
            return message == null ? className : className + ": " + message;
        }
    }

    /**
     * A shuffle block could not be read; the map output is lost, not the task's fault.
     *
     * @param corruption        the block arrived but failed its checksum
     * @param serverUnreachable the server holding it could not be reached at all (every output it serves is lost)
     */
    record FetchFailure(
            int shuffleId,
            int mapId,
            int reduceId,
            String location,
            String message,
            boolean corruption,
            boolean serverUnreachable,
            TaskMetrics metrics)
            implements TaskOutcome {}

    /** The attempt was killed on request. */
    record Killed(String reason, TaskMetrics metrics) implements TaskOutcome {}

    /** The executor running the attempt went away; the attempt is re-run elsewhere, not counted as a failure. */
    record ExecutorLost(String executorId, String reason, TaskMetrics metrics) implements TaskOutcome {}
}
