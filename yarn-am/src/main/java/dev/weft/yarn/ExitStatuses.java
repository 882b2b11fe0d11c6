package dev.weft.yarn;

import dev.weft.error.WeftError;
import org.apache.hadoop.yarn.api.records.ContainerExitStatus;
import org.apache.hadoop.yarn.api.records.ContainerStatus;

/** Classifies why an executor container ended, in words an operator can act on. */
final class ExitStatuses {
    private ExitStatuses() {}

    enum Kind {
        PREEMPTED,
        KILLED_BY_FRAMEWORK,
        OUT_OF_MEMORY,
        FAILED,
        EXITED
    }

    static Kind kind(int exitStatus) {
        switch (exitStatus) {
            case ContainerExitStatus.PREEMPTED:
                return Kind.PREEMPTED;
            case ContainerExitStatus.KILLED_EXCEEDED_PMEM:
            case ContainerExitStatus.KILLED_EXCEEDED_VMEM:
                return Kind.OUT_OF_MEMORY;
            case ContainerExitStatus.ABORTED:
            case ContainerExitStatus.KILLED_BY_APPMASTER:
            case ContainerExitStatus.KILLED_BY_RESOURCEMANAGER:
            case ContainerExitStatus.KILLED_AFTER_APP_COMPLETION:
            case ContainerExitStatus.KILLED_BY_CONTAINER_SCHEDULER:
            case ContainerExitStatus.DISKS_FAILED:
                return Kind.KILLED_BY_FRAMEWORK;
            case ContainerExitStatus.SUCCESS:
                return Kind.EXITED;
            default:
                // 143 = SIGTERM from the NM; 137 = SIGKILL (often the kernel's OOM killer), 52 = JVM OutOfMemoryError.
                return exitStatus == 52 || exitStatus == 137 ? Kind.OUT_OF_MEMORY : Kind.FAILED;
        }
    }

    /**
     * The code the lost executor's running attempts end with: a container killed for memory is the attempts'
     * doing and counts against them; any other loss (preemption, a node going away) does not.
     */
    static WeftError error(int exitStatus) {
        return switch (kind(exitStatus)) {
            case OUT_OF_MEMORY -> WeftError.CONTAINER_KILLED_FOR_MEMORY;
            case PREEMPTED -> WeftError.EXECUTOR_PREEMPTED;
            case KILLED_BY_FRAMEWORK, FAILED, EXITED -> WeftError.EXECUTOR_LOST;
        };
    }

    static String describe(ContainerStatus s) {
        Kind k = kind(s.getExitStatus());
        String base = "container " + s.getContainerId() + " ";
        String diag = s.getDiagnostics() == null || s.getDiagnostics().isBlank()
                ? ""
                : ": " + s.getDiagnostics().trim();
        switch (k) {
            case PREEMPTED:
                return base + "was preempted by the scheduler" + diag;
            case KILLED_BY_FRAMEWORK:
                return base + "was killed by the framework (exit status " + s.getExitStatus() + ")" + diag;
            case OUT_OF_MEMORY:
                return base + "ran out of memory (exit status " + s.getExitStatus() + "); raise weft.executor.memory"
                        + diag;
            case EXITED:
                return base + "exited" + diag;
            default:
                return base + "failed with exit code " + s.getExitStatus() + diag;
        }
    }
}
