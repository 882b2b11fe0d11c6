package dev.weft.scheduler;

import java.io.IOException;
import java.util.List;
import java.util.Objects;

/** The tasks of one stage attempt, one per missing partition, serialized when they launch. */
record TaskSet(int stageId, int stageAttempt, int priority, String stageName, List<TaskSpec> tasks) {
    TaskSet {
        tasks = List.copyOf(tasks);
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
