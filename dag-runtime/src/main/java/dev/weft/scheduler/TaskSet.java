package dev.weft.scheduler;

import java.util.List;
import java.util.Objects;

/** The tasks of one stage attempt, one serialized task per missing partition. */
record TaskSet(int stageId, int stageAttempt, int priority, String stageName, List<TaskSpec> tasks) {
    TaskSet {
        tasks = List.copyOf(tasks);
    }

    /** One task and where it would like to run; retries of the task keep the same preferences. */
    record TaskSpec(int partition, byte[] serializedTask, Preferences preferences) {
        TaskSpec {
            Objects.requireNonNull(serializedTask, "serializedTask is null");
            Objects.requireNonNull(preferences, "preferences is null");
        }

        /** A task that may run anywhere. */
        TaskSpec(int partition, byte[] serializedTask) {
            this(partition, serializedTask, Preferences.NONE);
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
