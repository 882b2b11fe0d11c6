package dev.weft.scheduler;

import java.io.IOException;
import java.util.List;
import java.util.Objects;

/**
 * The tasks of one stage attempt, one per missing partition, serialized when they launch.
 *
 * @param resultCheck what a successful attempt's report must satisfy before the scheduler believes it
 */
record TaskSet(
        int stageId, int stageAttempt, int priority, String stageName, List<TaskSpec> tasks, ResultCheck resultCheck) {
    TaskSet {
        tasks = List.copyOf(tasks);
        Objects.requireNonNull(resultCheck, "resultCheck is null");
    }

    /** Tasks whose reports are taken as sent (result stages: their values go to the user's handler only). */
    TaskSet(int stageId, int stageAttempt, int priority, String stageName, List<TaskSpec> tasks) {
        this(stageId, stageAttempt, priority, stageName, tasks, ResultCheck.NONE);
    }

    /**
     * Checks an executor's report of a successful attempt against the attempt the driver launched: an executor is
     * a tenant's process and may send anything. Called on the scheduler thread.
     */
    @FunctionalInterface
    interface ResultCheck {
        ResultCheck NONE = (partition, taskId, executorHost, value) -> null;

        /**
         * @param value the attempt's serialized return value
         * @return null when the report is what the attempt should produce, else why not
         */
        String check(int partition, long taskId, String executorHost, byte[] value);
    }

    /**
     * Serializes one task when an attempt of it launches. Serializing at launch rather than at submission keeps
     * only the running tasks' bytes on the driver heap: a stage of 100,000 tasks held 1.3 KB of serialized task
     * per pending task before.
     */
    @FunctionalInterface
    interface TaskBytes {
        byte[] serialize() throws IOException;
    }

    /** One task and where it would like to run; retries of the task keep the same preferences. */
    record TaskSpec(int partition, TaskBytes task, Preferences preferences) {
        TaskSpec {
            Objects.requireNonNull(task, "task is null");
            Objects.requireNonNull(preferences, "preferences is null");
        }

        /** A task already serialized. */
        TaskSpec(int partition, byte[] serializedTask, Preferences preferences) {
            this(partition, bytesOf(serializedTask), preferences);
        }

        /** A task already serialized that may run anywhere. */
        TaskSpec(int partition, byte[] serializedTask) {
            this(partition, serializedTask, Preferences.NONE);
        }

        private static TaskBytes bytesOf(byte[] serializedTask) {
            Objects.requireNonNull(serializedTask, "serializedTask is null");
            return () -> serializedTask;
        }
    }

    /**
     * Where a task's input is, best first: {@code executors} cache the partition (PROCESS_LOCAL), {@code hosts}
     * hold its input (NODE_LOCAL; racks are derived from them). A cached partition lists its executors' hosts
     * too, so the task can still run node-local when those executors are busy.
     */
    record Preferences(List<String> executors, List<String> hosts) {
        static final Preferences NONE = new Preferences(List.of(), List.of());

        Preferences {
            executors = List.copyOf(executors);
            hosts = List.copyOf(hosts);
        }

        static Preferences onHosts(List<String> hosts) {
            return new Preferences(List.of(), hosts);
        }

        boolean isEmpty() {
            return executors.isEmpty() && hosts.isEmpty();
        }
    }
}
