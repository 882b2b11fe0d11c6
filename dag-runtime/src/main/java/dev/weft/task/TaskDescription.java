package dev.weft.task;

import java.io.Serializable;
import java.util.Objects;

/**
 * A task attempt as launched on an executor: ids plus the serialized {@link Task}.
 *
 * @param taskId       unique per application; also the attempt id of shuffle files
 * @param attempt      0-based attempt number of this partition within its stage attempt
 */
public record TaskDescription(
        long taskId, int stageId, int stageAttempt, int partition, int attempt, byte[] serializedTask)
        implements Serializable {
    public TaskDescription {
        Objects.requireNonNull(serializedTask, "serializedTask is null");
    }

    public String name() {
        return "task " + taskId + " (stage " + stageId + "." + stageAttempt + " partition " + partition + " attempt "
                + attempt + ")";
    }
}
