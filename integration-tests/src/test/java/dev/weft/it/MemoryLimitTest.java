package dev.weft.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.testkit.JobOutcome;
import dev.weft.testkit.WeftCluster;
import dev.weft.testkit.WeftTestCluster;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * An executor YARN kills for its physical memory is reported as over its limit, naming the key to raise, not as a
 * kill or a crash (issue 11). Its own cluster: only here do the NodeManagers enforce memory limits.
 */
@WeftCluster(nodeManagers = 1, dataNodes = 1, memoryLimits = true)
class MemoryLimitTest {
    @Test
    void anExecutorOverItsPhysicalMemoryLimitIsReportedAsSuch(WeftTestCluster cluster) throws Exception {
        JobOutcome outcome = cluster.submit(
                        TestJobs.NativeMemoryHog.class,
                        "-D",
                        "weft.yarn.uber.enabled=false",
                        "-D",
                        "weft.executor.instances=1",
                        "-D",
                        "weft.task.max-attempts=1",
                        // Room for the buffers inside the JVM; the container (384 + 384 MiB) has none for them.
                        "-D",
                        "weft.executor.extra-java-options=-XX:MaxDirectMemorySize=2g",
                        "1536")
                .await(Duration.ofMinutes(3));
        assertEquals(1, outcome.exitCode(), outcome::toString);
        String diagnostics = outcome.driver().getDiagnostics();
        assertTrue(diagnostics.contains("over its physical memory limit"), diagnostics);
        assertTrue(diagnostics.contains("weft.executor.memory-overhead"), diagnostics);
        assertFalse(diagnostics.contains("killed by signal"), diagnostics);
    }
}
