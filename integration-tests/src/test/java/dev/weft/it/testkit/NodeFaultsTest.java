package dev.weft.it.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.examples.Demo;
import dev.weft.examples.WordCount;
import dev.weft.testkit.ContainerLogs;
import dev.weft.testkit.JobOutcome;
import dev.weft.testkit.WeftAssertions;
import dev.weft.testkit.WeftCluster;
import dev.weft.testkit.WeftTestCluster;
import java.time.Duration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.hdfs.DistributedFileSystem;
import org.apache.hadoop.hdfs.protocol.HdfsConstants.DatanodeReportType;
import org.apache.hadoop.yarn.api.records.NodeState;
import org.junit.jupiter.api.Test;

/**
 * Faults that do not heal, on a cluster of this class's own (without the NodeManager shuffle service): with one
 * NodeManager and one DataNode stopped, a job still runs on what is left and reads the surviving replicas.
 */
@WeftCluster(nodeManagers = 2, dataNodes = 2, shuffleService = false)
class NodeFaultsTest {
    @Test
    void aJobRunsOnWhatIsLeftAfterANodeManagerAndADataNodeStop(WeftTestCluster cluster) throws Exception {
        FileSystem fs = cluster.fileSystem();
        Path input = new Path("/testkit/faults/words.txt");
        Path output = new Path("/testkit/faults/out");
        Demo.writeText(fs, input, 20_000, 9);
        assertEquals(2, fs.getFileStatus(input).getReplication());

        cluster.stopDataNode(1);
        cluster.stopNodeManager(1);
        assertEquals(1, ((DistributedFileSystem) fs).getDataNodeStats(DatanodeReportType.LIVE).length);
        assertEquals(1, cluster.yarnClient().getNodeReports(NodeState.RUNNING).size());
        assertThrows(IllegalStateException.class, () -> cluster.stopDataNode(1), "already stopped");

        JobOutcome outcome = cluster.submit(WordCount.class, input.toString(), output.toString())
                .await(Duration.ofMinutes(4));
        assertEquals(0, outcome.exitCode(), outcome::toString);
        WeftAssertions.assertTextOutputEquals(fs, output, Reference.wordCountLines(fs, input));
        WeftAssertions.assertCommitted(fs, output);
        java.nio.file.Path stoppedLogs = cluster.embedded().nodeManagerLogDirs().get(1);
        assertFalse(outcome.executorLogs().isEmpty());
        for (ContainerLogs c : outcome.executorLogs()) {
            assertTrue(!c.dir().startsWith(stoppedLogs), c + " ran on the stopped NodeManager");
        }
    }
}
