package dev.weft.yarn;

import dev.weft.error.WeftError;
import java.util.Locale;
import org.apache.hadoop.yarn.api.records.ContainerExitStatus;
import org.apache.hadoop.yarn.api.records.ContainerStatus;

/**
 * Why an executor container ended, read from YARN's exit status and diagnostics, in words an operator can act on.
 * A container killed by a signal did not necessarily run out of memory: exit 137 is any SIGKILL (a {@code yarn
 * container -signal}, an administrator, the kernel's OOM killer), so only YARN's own memory-limit statuses and the
 * executor's own out-of-memory exit are called memory. Stateless.
 */
final class ExitStatuses {
    /** The executor's exit status after a {@link OutOfMemoryError} (the number Spark's executors use). */
    static final int JVM_OUT_OF_MEMORY_EXIT = dev.weft.executor.ExitCode.OUT_OF_MEMORY.code();

    private ExitStatuses() {}

    enum Kind {
        /** The scheduler took the container for another queue. */
        PREEMPTED,
        /** Stopped on request: released by the application, killed by the ResourceManager or after the app ended. */
        KILLED_ON_REQUEST,
        /** The NodeManager killed it for using more physical memory than the container has. */
        OVER_PHYSICAL_MEMORY_LIMIT,
        /** The NodeManager killed it for using more virtual memory than allowed. */
        OVER_VIRTUAL_MEMORY_LIMIT,
        /** The executor's JVM threw {@link OutOfMemoryError} and exited. */
        JVM_OUT_OF_MEMORY,
        /** A signal from outside YARN's accounting ended it (137 = SIGKILL, 143 = SIGTERM, …). */
        KILLED_BY_SIGNAL,
        /** Its node stopped heartbeating (or was decommissioned) and YARN gave the container up. */
        NODE_LOST,
        /** The node's local or log disks failed. */
        DISKS_FAILED,
        /** The process exited with a non-zero status of its own. */
        FAILED,
        /** The process exited with status 0. */
        EXITED
    }

    static Kind kind(ContainerStatus s) {
        return kind(s.getExitStatus(), s.getDiagnostics());
    }

    static Kind kind(int exitStatus, String diagnostics) {
        switch (exitStatus) {
            case ContainerExitStatus.PREEMPTED:
                return Kind.PREEMPTED;
            case ContainerExitStatus.KILLED_EXCEEDED_PMEM:
                return Kind.OVER_PHYSICAL_MEMORY_LIMIT;
            case ContainerExitStatus.KILLED_EXCEEDED_VMEM:
                return Kind.OVER_VIRTUAL_MEMORY_LIMIT;
            case ContainerExitStatus.ABORTED:
                // The ResourceManager's words for a container given up with its node ("Container released on a
                // *lost* node"); the same status also means released by the application or expired unused.
                String d = diagnostics == null ? "" : diagnostics.toLowerCase(Locale.ROOT);
                return d.contains("lost* node") || d.contains("lost node") || d.contains("decommission")
                        ? Kind.NODE_LOST
                        : Kind.KILLED_ON_REQUEST;
            case ContainerExitStatus.KILLED_BY_APPMASTER:
            case ContainerExitStatus.KILLED_BY_RESOURCEMANAGER:
            case ContainerExitStatus.KILLED_AFTER_APP_COMPLETION:
            case ContainerExitStatus.KILLED_BY_CONTAINER_SCHEDULER:
                return Kind.KILLED_ON_REQUEST;
            case ContainerExitStatus.DISKS_FAILED:
                return Kind.DISKS_FAILED;
            case ContainerExitStatus.SUCCESS:
                return Kind.EXITED;
            default:
                if (exitStatus == JVM_OUT_OF_MEMORY_EXIT) {
                    return Kind.JVM_OUT_OF_MEMORY;
                }
                return exitStatus > 128 && exitStatus < 160 ? Kind.KILLED_BY_SIGNAL : Kind.FAILED;
        }
    }

    /** Compatibility for callers holding only the number (no diagnostics). */
    static Kind kind(int exitStatus) {
        return kind(exitStatus, "");
    }

    /**
     * The code the lost executor's running attempts end with: a container that outgrew its memory is the attempts'
     * doing and counts against them; any other loss (preemption, a kill, a node going away) does not.
     */
    static WeftError error(ContainerStatus s) {
        return error(kind(s));
    }

    static WeftError error(int exitStatus) {
        return error(kind(exitStatus));
    }

    private static WeftError error(Kind k) {
        return switch (k) {
            case OVER_PHYSICAL_MEMORY_LIMIT, OVER_VIRTUAL_MEMORY_LIMIT, JVM_OUT_OF_MEMORY ->
                WeftError.CONTAINER_KILLED_FOR_MEMORY;
            case PREEMPTED -> WeftError.EXECUTOR_PREEMPTED;
            case KILLED_ON_REQUEST, KILLED_BY_SIGNAL, NODE_LOST, DISKS_FAILED, FAILED, EXITED ->
                WeftError.EXECUTOR_LOST;
        };
    }

    static String describe(ContainerStatus s) {
        int exit = s.getExitStatus();
        String base = "container " + s.getContainerId() + " ";
        String diag = s.getDiagnostics() == null || s.getDiagnostics().isBlank()
                ? ""
                : ": " + s.getDiagnostics().trim();
        return switch (kind(s)) {
            case PREEMPTED -> base + "was preempted by the scheduler (exit status " + exit + ")" + diag;
            case KILLED_ON_REQUEST -> base + "was killed on request (exit status " + exit + ")" + diag;
            case OVER_PHYSICAL_MEMORY_LIMIT ->
                base + "was killed for going over its physical memory limit (exit status "
                        + exit
                        + "); raise weft.executor.memory-overhead (memory outside the heap) or weft.executor.memory"
                        + diag;
            case OVER_VIRTUAL_MEMORY_LIMIT ->
                base + "was killed for going over its virtual memory limit (exit status "
                        + exit
                        + "); raise yarn.nodemanager.vmem-pmem-ratio on the cluster or weft.executor.memory-overhead"
                        + diag;
            case JVM_OUT_OF_MEMORY ->
                base + "ran out of Java heap (java.lang.OutOfMemoryError, exit status " + exit
                        + "); raise weft.executor.memory" + diag;
            case KILLED_BY_SIGNAL ->
                base + "was killed by signal " + signalName(exit - 128) + " (exit status " + exit
                        + ") from outside YARN's limits: a forced kill (yarn container -signal, an operator) or the"
                        + " kernel's OOM killer (see the node's kernel log)" + diag;
            case NODE_LOST -> base + "was lost with its node (exit status " + exit + ")" + diag;
            case DISKS_FAILED -> base + "ended because the node's disks failed (exit status " + exit + ")" + diag;
            case EXITED -> base + "exited" + diag;
            case FAILED -> base + "failed with exit code " + exit + diag;
        };
    }

    private static String signalName(int signal) {
        return switch (signal) {
            case 9 -> "SIGKILL";
            case 15 -> "SIGTERM";
            case 6 -> "SIGABRT";
            case 11 -> "SIGSEGV";
            case 2 -> "SIGINT";
            case 1 -> "SIGHUP";
            default -> Integer.toString(signal);
        };
    }
}
