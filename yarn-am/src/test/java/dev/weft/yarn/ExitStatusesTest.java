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
        assertEquals(ExitStatuses.Kind.OUT_OF_MEMORY, ExitStatuses.kind(ContainerExitStatus.KILLED_EXCEEDED_PMEM));
        assertEquals(ExitStatuses.Kind.OUT_OF_MEMORY, ExitStatuses.kind(52));
        assertEquals(
                ExitStatuses.Kind.KILLED_BY_FRAMEWORK,
                ExitStatuses.kind(ContainerExitStatus.KILLED_BY_RESOURCEMANAGER));
        assertEquals(ExitStatuses.Kind.KILLED_BY_FRAMEWORK, ExitStatuses.kind(ContainerExitStatus.ABORTED));
        assertEquals(ExitStatuses.Kind.FAILED, ExitStatuses.kind(1));
        assertEquals(ExitStatuses.Kind.EXITED, ExitStatuses.kind(0));
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
                d.contains("out of memory")
                        && d.contains("weft.executor.memory")
                        && d.contains("physical memory limit"),
                d);
        assertTrue(
                ExitStatuses.describe(status(ContainerExitStatus.PREEMPTED, "")).contains("preempted"));
        assertTrue(ExitStatuses.describe(status(3, "boom")).contains("failed with exit code 3: boom"));
    }

    @Test
    void driverArgumentsSurviveTheEnvironmentEncoding() {
        List<String> args = List.of("com.example.Main", "a b", "$HOME", "it's", "\"q\"", "", "ünï");
        assertEquals(args, List.of(DriverMain.decodeArgs(DriverMain.encodeArgs(args))));
    }

    @Test
    void containerSizeAddsOverhead() {
        assertEquals(1024 + 384, ContainerSpecs.containerMiB(1L << 30));
        assertEquals(8192 + 819, ContainerSpecs.containerMiB(8L << 30));
    }
}
