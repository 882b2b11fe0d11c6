package dev.weft.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.api.Dataset;
import dev.weft.api.WeftContext;
import dev.weft.core.Pair;
import dev.weft.events.TaskLocality;
import dev.weft.events.WeftEvent;
import dev.weft.examples.Demo;
import dev.weft.examples.WordCount;
import dev.weft.hdfs.HadoopFiles;
import dev.weft.testkit.EmbeddedCluster;
import dev.weft.yarn.Jars;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.hadoop.fs.BlockLocation;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.permission.FsPermission;
import org.apache.hadoop.hdfs.DistributedFileSystem;
import org.apache.hadoop.hdfs.protocol.DatanodeInfo;
import org.apache.hadoop.io.LongWritable;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.mapreduce.lib.input.TextInputFormat;
import org.apache.hadoop.util.RunJar;
import org.apache.hadoop.yarn.api.records.ApplicationReport;
import org.apache.hadoop.yarn.api.records.FinalApplicationStatus;
import org.apache.hadoop.yarn.client.api.YarnClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Data locality on YARN end to end: a cluster whose three hosts have distinct names (127.0.0.2-4, each
 * with a DataNode and a NodeManager), an input file whose 1 MiB blocks (replication 1) sit on every host,
 * and a word count submitted through RunJar whose first stage reads one split per block. The driver must
 * ask for executors on the hosts of its pending tasks and the scheduler must then launch the tasks where
 * their block is.
 *
 * <p>The driver runs inside the ApplicationMaster, so the job itself ({@link LocalityJob}) counts the launch
 * localities of its first stage with a listener and writes them to HDFS for the test to read.
 */
class LocalityTest {
    private static final int HOSTS = 3;
    private static final int BLOCKS_PER_HOST = 2;
    /** 64-byte lines, so a 1 MiB block holds whole lines and block boundaries are line boundaries. */
    private static final int LINE_BYTES = 64;

    static EmbeddedCluster cluster;
    static DistributedFileSystem fs;
    static YarnClient yarn;
    static Path input;
    static Map<String, Long> reference;

    @BeforeAll
    static void start() throws Exception {
        System.setProperty("weft.client.noExit", "true");
        java.nio.file.Path base = java.nio.file.Path.of("target/it-locality").toAbsolutePath();
        cluster = EmbeddedCluster.startMultiHost(base, HOSTS, Map.of());
        fs = (DistributedFileSystem) cluster.fileSystem();
        input = writeInputSpreadOverHosts(new Path("/it/locality/input.txt"));
        reference = new TreeMap<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(fs.open(input), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                WordCount.words(line).forEachRemaining(w -> reference.merge(w, 1L, Long::sum));
            }
        }
        yarn = YarnClient.createYarnClient();
        yarn.init(cluster.conf());
        yarn.start();
    }

    @AfterAll
    static void stop() {
        if (yarn != null) {
            yarn.stop();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    /**
     * Writes {@link #BLOCKS_PER_HOST} blocks per host into one file. With replication 1 the NameNode would
     * pick a random DataNode per block (the writer is on no DataNode's host), which may leave a host without
     * blocks; so each host's part is written with that DataNode as favored node and the parts are then
     * concatenated (a metadata-only operation that keeps every block where it is).
     */
    private static Path writeInputSpreadOverHosts(Path target) throws IOException {
        Map<String, DatanodeInfo> byHost = new HashMap<>();
        for (DatanodeInfo dn : fs.getDataNodeStats()) {
            byHost.put(dn.getHostName(), dn);
        }
        assertEquals(
                new TreeSet<>(cluster.hosts()), new TreeSet<>(byHost.keySet()), "DataNodes advertise their own hosts");
        long blockSize = EmbeddedCluster.MULTI_HOST_BLOCK_SIZE;
        Random random = new Random(42);
        List<Path> parts = new ArrayList<>();
        for (String host : cluster.hosts()) {
            DatanodeInfo dn = byHost.get(host);
            // Favored nodes are looked up by the address the NameNode recorded for the DataNode.
            InetSocketAddress favored = new InetSocketAddress(dn.getIpAddr(), dn.getXferPort());
            Path part = new Path(target.getParent(), "part-on-" + host);
            try (FSDataOutputStream out = fs.create(
                            part,
                            FsPermission.getFileDefault(),
                            true,
                            4096,
                            (short) 1,
                            blockSize,
                            null,
                            new InetSocketAddress[] {favored});
                    Writer w = new java.io.OutputStreamWriter(out, StandardCharsets.US_ASCII)) {
                long lines = BLOCKS_PER_HOST * blockSize / LINE_BYTES;
                for (long i = 0; i < lines; i++) {
                    w.write(line(random));
                }
            }
            parts.add(part);
        }
        fs.rename(parts.get(0), target);
        fs.concat(target, parts.subList(1, parts.size()).toArray(new Path[0]));
        return target;
    }

    /** One line of exactly {@link #LINE_BYTES} bytes: words from a small vocabulary, space-padded. */
    private static String line(Random random) {
        StringBuilder b = new StringBuilder(LINE_BYTES);
        while (true) {
            String word = "w" + random.nextInt(500);
            if (b.length() + word.length() + 1 > LINE_BYTES - 1) {
                break;
            }
            b.append(word).append(' ');
        }
        while (b.length() < LINE_BYTES - 1) {
            b.append(' ');
        }
        return b.append('\n').toString();
    }

    @Test
    void firstStageRunsNodeLocalOnExecutorsPlacedNearTheBlocks() throws Throwable {
        FileStatus st = fs.getFileStatus(input);
        BlockLocation[] blocks = fs.getFileBlockLocations(st, 0, st.getLen());
        assertEquals(HOSTS * BLOCKS_PER_HOST, blocks.length, "one block per MiB");
        Map<String, Integer> blocksPerHost = new TreeMap<>();
        for (BlockLocation b : blocks) {
            assertEquals(1, b.getHosts().length, "replication 1: " + List.of(b.getHosts()));
            blocksPerHost.merge(b.getHosts()[0], 1, Integer::sum);
        }
        assertEquals(
                new TreeSet<>(cluster.hosts()), blocksPerHost.keySet(), "every host holds blocks: " + blocksPerHost);

        Path out = new Path("/it/locality/out");
        Path localities = new Path("/it/locality/first-stage-localities");
        int code = runJar(
                LocalityJob.class,
                "-D",
                "weft.executor.instances=" + HOSTS,
                "-D",
                "weft.executor.cores=2",
                input.toString(),
                out.toString(),
                localities.toString());
        assertEquals(0, code);
        assertEquals(reference, readOutput(out));

        Map<String, Integer> counts = readLocalities(localities);
        int launches = counts.values().stream().mapToInt(Integer::intValue).sum();
        int nodeLocal = counts.getOrDefault(TaskLocality.NODE_LOCAL.name(), 0);
        System.out.printf(
                Locale.ROOT,
                "first stage launch localities: %s (NODE_LOCAL %d/%d = %.0f%%)%n",
                counts,
                nodeLocal,
                launches,
                100.0 * nodeLocal / launches);
        assertTrue(launches >= blocks.length, "every split launched at least once: " + counts);
        assertTrue(nodeLocal >= 0.8 * launches, "at least 80% of the first stage's launches NODE_LOCAL: " + counts);

        ApplicationReport driver = latest("WEFT");
        assertEquals(FinalApplicationStatus.SUCCEEDED, driver.getFinalApplicationStatus());
        ApplicationReport executors = executorAppOf(driver);
        assertNotNull(executors, "the executor application is tagged with its driver");
        Map<String, Integer> containersPerHost =
                containersPerHost(executors.getApplicationId().toString());
        assertEquals(
                HOSTS,
                containersPerHost.values().stream().mapToInt(Integer::intValue).sum(),
                "one container per requested executor: " + containersPerHost);
        assertEquals(
                new TreeSet<>(cluster.hosts()),
                containersPerHost.keySet(),
                "executors on distinct hosts, one per host holding blocks: " + containersPerHost);
    }

    /**
     * The same over Hadoop's own TextInputFormat through {@code HadoopFiles.hadoopFile}: the splits and their hosts
     * are the InputFormat's ({@code InputSplit.getLocations}), and locality must hold just the same.
     */
    @Test
    void aHadoopInputFormatStageRunsNodeLocal() throws Throwable {
        Path out = new Path("/it/locality/out-hadoop-file");
        Path localities = new Path("/it/locality/hadoop-file-localities");
        int code = runJar(
                LocalityJob.class,
                "-D",
                "weft.executor.instances=" + HOSTS,
                "-D",
                "weft.executor.cores=2",
                input.toString(),
                out.toString(),
                localities.toString(),
                "hadoopFile");
        assertEquals(0, code);
        assertEquals(reference, readOutput(out));
        Map<String, Integer> counts = readLocalities(localities);
        int launches = counts.values().stream().mapToInt(Integer::intValue).sum();
        int nodeLocal = counts.getOrDefault(TaskLocality.NODE_LOCAL.name(), 0);
        System.out.printf(
                Locale.ROOT,
                "hadoopFile stage launch localities: %s (NODE_LOCAL %d/%d = %.0f%%)%n",
                counts,
                nodeLocal,
                launches,
                100.0 * nodeLocal / launches);
        assertTrue(launches >= HOSTS * BLOCKS_PER_HOST, "a split per block, each launched: " + counts);
        assertTrue(nodeLocal >= 0.8 * launches, "at least 80% of the hadoopFile stage NODE_LOCAL: " + counts);
    }

    /** Runs a main class through RunJar (the {@code yarn jar} path) against this cluster; returns the exit code. */
    private static int runJar(Class<?> mainClass, String... programArgs) throws Throwable {
        List<String> args = new ArrayList<>();
        args.add(Jars.jarOf(mainClass).toString());
        args.add(mainClass.getName());
        args.addAll(cluster.genericOptions());
        args.addAll(List.of("-D", "weft.driver.memory=384m", "-D", "weft.executor.memory=384m"));
        args.addAll(List.of(programArgs));
        try {
            RunJar.main(args.toArray(new String[0]));
            return 0;
        } catch (WeftContext.ClientExit e) {
            return e.code();
        }
    }

    private static Map<String, Long> readOutput(Path dir) throws IOException {
        Map<String, Long> out = new TreeMap<>();
        for (String[] c : Demo.readCounts(fs, dir)) {
            assertEquals(null, out.put(c[0], Long.parseLong(c[1])), "word " + c[0] + " written twice");
        }
        return out;
    }

    private static Map<String, Integer> readLocalities(Path file) throws IOException {
        Map<String, Integer> counts = new TreeMap<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(fs.open(file), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                String[] kv = line.split("=");
                counts.put(kv[0], Integer.parseInt(kv[1]));
            }
        }
        return counts;
    }

    private static ApplicationReport latest(String type) throws Exception {
        ApplicationReport best = null;
        for (ApplicationReport r : yarn.getApplications(Set.of(type))) {
            if (best == null || r.getApplicationId().compareTo(best.getApplicationId()) > 0) {
                best = r;
            }
        }
        assertNotNull(best, "an application of type " + type);
        return best;
    }

    private static ApplicationReport executorAppOf(ApplicationReport driver) throws Exception {
        String tag = "weft-driver:" + driver.getApplicationId().toString().toLowerCase(Locale.ROOT);
        for (ApplicationReport r : yarn.getApplications(Set.of("WEFT-EXECUTORS"))) {
            if (r.getApplicationTags().contains(tag)) {
                return r;
            }
        }
        return null;
    }

    /**
     * Where the executor application's containers ran, from the NodeManagers' container log directories:
     * they outlive the application (logs are kept for {@code yarn.nodemanager.log.retain-seconds}), unlike
     * the RM's container reports, which end with the attempt.
     */
    private static Map<String, Integer> containersPerHost(String appId) throws IOException {
        Map<String, Integer> out = new TreeMap<>();
        for (String host : cluster.hosts()) {
            java.nio.file.Path appLogs = cluster.nodeManagerLogDir(host).resolve(appId);
            if (Files.isDirectory(appLogs)) {
                try (var containers = Files.list(appLogs)) {
                    int n = (int) containers.filter(Files::isDirectory).count();
                    if (n > 0) {
                        out.put(host, n);
                    }
                }
            }
        }
        return out;
    }

    /**
     * Word count whose driver counts the launch localities of its first stage (the one reading the input)
     * and writes them as {@code LEVEL=count} lines. Args: input output localities-file [hadoopFile] (read with Hadoop's
     * TextInputFormat instead of textFile).
     *
     * <p>The listener runs on the scheduler thread and only updates a concurrent map; the main thread
     * reads it after the job returned, when every launch of the first stage has been published.
     */
    public static final class LocalityJob {
        public static void main(String[] args) {
            try (WeftContext ctx = WeftContext.create(args)) {
                String[] a = ctx.args();
                Map<TaskLocality, Integer> launches = new ConcurrentHashMap<>();
                int[] firstStage = {-1}; // scheduler thread only
                ctx.addListener(e -> {
                    if (e instanceof WeftEvent.TaskStateChanged t && t.from() == null) {
                        // The reduce stage needs the map stage's output, so the first task launched belongs to
                        // the stage reading the input.
                        if (firstStage[0] < 0) {
                            firstStage[0] = t.stageId();
                        }
                        if (t.stageId() == firstStage[0]) {
                            launches.merge(t.locality(), 1, Integer::sum);
                        }
                    }
                });
                // One split per block (minPartitions 1; TextInputFormat: block-sized splits), so each task has
                // exactly one preferred host.
                Dataset<String> lines = a.length > 3 && a[3].equals("hadoopFile")
                        ? HadoopFiles.of(ctx)
                                .<Long, String>hadoopFile(a[0], TextInputFormat.class, LongWritable.class, Text.class)
                                .values()
                        : ctx.textFile(a[0], 1);
                lines.flatMap(WordCount::words)
                        .mapToPair(w -> Pair.of(w, 1L))
                        .reduceByKey(Long::sum, 2)
                        .saveAsTextFile(a[1]);
                write(ctx, new Path(a[2]), new EnumMap<>(launches));
            }
        }

        private static void write(WeftContext ctx, Path file, Map<TaskLocality, Integer> counts) {
            try (Writer w = new java.io.OutputStreamWriter(
                    file.getFileSystem(ctx.hadoopConf()).create(file, true), StandardCharsets.UTF_8)) {
                for (Map.Entry<TaskLocality, Integer> e : counts.entrySet()) {
                    w.write(e.getKey().name() + "=" + e.getValue() + "\n");
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
