package dev.weft.yarn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.error.WeftError;
import java.util.List;
import org.apache.hadoop.yarn.api.records.ApplicationAttemptId;
import org.apache.hadoop.yarn.api.records.ApplicationId;
import org.apache.hadoop.yarn.api.records.ContainerExitStatus;
import org.apache.hadoop.yarn.api.records.ContainerId;
import org.apache.hadoop.yarn.api.records.ContainerState;
import org.apache.hadoop.yarn.api.records.ContainerStatus;
import org.junit.jupiter.api.Test;

class ExitStatusesTest {
    private static ContainerStatus status(int exit, String diag) {
        ContainerId id =
                ContainerId.newContainerId(ApplicationAttemptId.newInstance(ApplicationId.newInstance(1, 2), 1), 3);
        return ContainerStatus.newInstance(id, ContainerState.COMPLETE, diag, exit);
    }

    @Test
    void classifiesExitStatuses() {
        assertEquals(ExitStatuses.Kind.PREEMPTED, ExitStatuses.kind(ContainerExitStatus.PREEMPTED));
        assertEquals(
                ExitStatuses.Kind.OVER_PHYSICAL_MEMORY_LIMIT,
                ExitStatuses.kind(ContainerExitStatus.KILLED_EXCEEDED_PMEM));
        assertEquals(
                ExitStatuses.Kind.OVER_VIRTUAL_MEMORY_LIMIT,
                ExitStatuses.kind(ContainerExitStatus.KILLED_EXCEEDED_VMEM));
        assertEquals(ExitStatuses.Kind.JVM_OUT_OF_MEMORY, ExitStatuses.kind(52));
        assertEquals(
                ExitStatuses.Kind.KILLED_ON_REQUEST, ExitStatuses.kind(ContainerExitStatus.KILLED_BY_RESOURCEMANAGER));
        assertEquals(ExitStatuses.Kind.KILLED_ON_REQUEST, ExitStatuses.kind(ContainerExitStatus.KILLED_BY_APPMASTER));
        assertEquals(
                ExitStatuses.Kind.KILLED_ON_REQUEST,
                ExitStatuses.kind(ContainerExitStatus.ABORTED, "Container released by application"));
        assertEquals(
                ExitStatuses.Kind.NODE_LOST,
                ExitStatuses.kind(ContainerExitStatus.ABORTED, "Container released on a *lost* node"));
        assertEquals(ExitStatuses.Kind.DISKS_FAILED, ExitStatuses.kind(ContainerExitStatus.DISKS_FAILED));
        assertEquals(ExitStatuses.Kind.KILLED_BY_SIGNAL, ExitStatuses.kind(137));
        assertEquals(ExitStatuses.Kind.KILLED_BY_SIGNAL, ExitStatuses.kind(143));
        assertEquals(ExitStatuses.Kind.FAILED, ExitStatuses.kind(1));
        assertEquals(ExitStatuses.Kind.EXITED, ExitStatuses.kind(0));
    }

    @Test
    void aSigkillIsAKillNotAnOutOfMemory() {
        ContainerStatus s = status(137, "Container killed on request. Exit code is 137\nKilled by external signal");
        assertEquals(WeftError.EXECUTOR_LOST, ExitStatuses.error(s));
        String d = ExitStatuses.describe(s);
        assertTrue(d.contains("killed by signal SIGKILL (exit status 137)"), d);
        assertTrue(!d.contains("raise weft.executor.memory"), d);
    }

    @Test
    void aContainerKilledForMemoryCarriesTheResourceCodeAndAnyOtherLossTheExecutorLostCode() {
        assertEquals(
                WeftError.CONTAINER_KILLED_FOR_MEMORY, ExitStatuses.error(ContainerExitStatus.KILLED_EXCEEDED_PMEM));
        assertEquals(
                WeftError.CONTAINER_KILLED_FOR_MEMORY, ExitStatuses.error(ContainerExitStatus.KILLED_EXCEEDED_VMEM));
        assertEquals(WeftError.EXECUTOR_PREEMPTED, ExitStatuses.error(ContainerExitStatus.PREEMPTED));
        assertEquals(WeftError.EXECUTOR_LOST, ExitStatuses.error(ContainerExitStatus.KILLED_BY_RESOURCEMANAGER));
        assertEquals(WeftError.EXECUTOR_LOST, ExitStatuses.error(1));
    }

    @Test
    void outOfMemoryNamesTheSettingToRaise() {
        String d = ExitStatuses.describe(status(ContainerExitStatus.KILLED_EXCEEDED_PMEM, "physical memory limit"));
        assertTrue(
                d.contains("over its physical memory limit")
                        && d.contains("weft.executor.memory-overhead")
                        && d.contains("physical memory limit"),
                d);
        String oom = ExitStatuses.describe(status(52, ""));
        assertTrue(oom.contains("OutOfMemoryError") && oom.contains("raise weft.executor.memory"), oom);
        assertTrue(
                ExitStatuses.describe(status(ContainerExitStatus.PREEMPTED, "")).contains("preempted"));
        assertTrue(ExitStatuses.describe(status(3, "boom")).contains("failed with exit code 3: boom"));
    }

    @Test
    void driverArgumentsSurviveTheEnvironmentEncoding() {
        List<String> args = List.of("com.example.Main", "a b", "$HOME", "it's", "\"q\"", "", "ünï");
        assertEquals(args, List.of(DriverMain.decodeArgs(DriverMain.encodeArgs(args))));
    }
}
