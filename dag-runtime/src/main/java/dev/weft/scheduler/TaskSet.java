package dev.weft.scheduler;

import java.util.List;

/** The tasks of one stage attempt, one serialized task per missing partition. */
record TaskSet(int stageId, int stageAttempt, int priority, String stageName, List<TaskSpec> tasks) {
    TaskSet {
        tasks = List.copyOf(tasks);
    }

    record TaskSpec(int partition, byte[] serializedTask) {
    }
}
