package dev.weft.it.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.examples.Demo;
import dev.weft.examples.WordCount;
import dev.weft.shuffle.format.MapOutputIndexFormat;
import dev.weft.shuffle.format.PartitionIndex;
import dev.weft.shuffle.format.ShuffleFileNames;
import dev.weft.testkit.JobOutcome;
import dev.weft.testkit.SubmittedJob;
import dev.weft.testkit.WeftAssertions;
import dev.weft.testkit.WeftCluster;
import dev.weft.testkit.WeftTestCluster;
import dev.weft.transport.ErrorCode;
import dev.weft.transport.TransportConfig;
import dev.weft.transport.TransportException;
import dev.weft.transport.client.BlockClient;
import dev.weft.transport.client.FetchedBlock;
import dev.weft.transport.client.TransportClientFactory;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32C;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;

/**
 * Attacks on one NodeManager's shuffle service from a tenant with a registered application: links and FIFOs in its
 * own map output are refused on the wire, and a tenant floods the service ({@link ShuffleFlood}, in a JVM of its own) with 2,000
 * connections that never authenticate, 200 that authenticate, ask for a 32 MiB block and stop reading, and a request
 * for 4,096 tiny blocks, while a well-behaved job runs. The NodeManager's descriptors (this JVM hosts it: {@code
 * /proc/self/fd}) stay within what the service's caps allow, the excess is refused (closed at once, or BUSY), and the
 * job's output is exact. The tenant's application is registered with the service the way the NodeManager registers
 * any (an APPLICATION_INIT event on its AuxServices), with map outputs written where its executors would.
 */
@WeftCluster(shared = true)
class SharedClusterShuffleFloodTest {
    private static final int UNAUTHENTICATED = 2_000;
    private static final int STALLED = 200;
    private static final int TINY_PARTITIONS = 4_096;
    private static final int BIG_BYTES = 32 << 20;
    private static final Pattern COUNTS =
            Pattern.compile("flood refusedAtOnce=(\\d+) busy=(\\d+) inFlight=(\\d+) tinyBlocks=(\\d+)");

    @Test
    void linksAndFifosAreRefusedOnTheWireAndAnotherApplicationIsStillServed(WeftTestCluster cluster) throws Exception {
        try (ShuffleTenant mallory = ShuffleTenant.register(cluster, 4243);
                ShuffleTenant alice = ShuffleTenant.register(cluster, 4244);
                TransportClientFactory clients = new TransportClientFactory(TransportConfig.defaults());
                BlockClient malloryClient = clients.connect(
                        "127.0.0.1", mallory.port(), mallory.app().toString(), mallory.secret());
                BlockClient aliceClient =
                        clients.connect("127.0.0.1", alice.port(), alice.app().toString(), alice.secret())) {
            byte[] alicesData = "alice's partition, not mallory's".getBytes(StandardCharsets.UTF_8);
            alice.writeOutput(0, alicesData);
            for (int map = 0; map < 4; map++) {
                mallory.writeOutput(map, ("mallory " + map).getBytes(StandardCharsets.UTF_8));
                assertEquals(
                        1,
                        malloryClient
                                .fetch(0, map, 0, 0)
                                .get(30, TimeUnit.SECONDS)
                                .size(),
                        "before");
            }
            java.nio.file.Path dir = mallory.shuffleDir();
            // Map 0: its index links to alice's index (whose data file then lies next to the link's target).
            java.nio.file.Path index0 = dir.resolve(ShuffleFileNames.indexFile(0, 0, 0));
            Files.delete(index0);
            Files.createSymbolicLink(index0, alice.shuffleDir().resolve(ShuffleFileNames.indexFile(0, 0, 0)));
            // Map 1: its data file links to alice's data file.
            java.nio.file.Path data1 = dir.resolve(ShuffleFileNames.dataFile(0, 1, 0));
            Files.delete(data1);
            Files.createSymbolicLink(data1, alice.shuffleDir().resolve(ShuffleFileNames.dataFile(0, 0, 0)));
            // Map 2: its index is a FIFO (opening it would block a disk thread until a writer came).
            java.nio.file.Path index2 = dir.resolve(ShuffleFileNames.indexFile(0, 2, 0));
            Files.delete(index2);
            Process mkfifo = new ProcessBuilder("mkfifo", index2.toString()).start();
            assertTrue(mkfifo.waitFor(30, TimeUnit.SECONDS) && mkfifo.exitValue() == 0, "mkfifo");
            for (int map = 0; map < 3; map++) {
                int m = map;
                ExecutionException e = assertThrows(
                        ExecutionException.class,
                        () -> malloryClient.fetch(0, m, 0, 0).get(30, TimeUnit.SECONDS),
                        "map " + map);
                TransportException te = assertInstanceOf(TransportException.class, e.getCause());
                assertEquals(ErrorCode.UNSAFE_FILE, te.code(), "map " + map + ": " + te.getMessage());
            }
            // The service still serves another application exactly, and mallory's untouched output.
            List<FetchedBlock> blocks = aliceClient.fetch(0, 0, 0, 0).get(30, TimeUnit.SECONDS);
            byte[] got = new byte[(int) blocks.get(0).length()];
            blocks.get(0).data().get(got);
            assertArrayEquals(alicesData, got);
            assertEquals(
                    1, malloryClient.fetch(0, 3, 0, 0).get(30, TimeUnit.SECONDS).size());
        }
    }

    @Test
    void aFloodOfIdleAndStalledConnectionsIsBoundedAndAJobMeanwhileEndsExact(WeftTestCluster cluster) throws Exception {
        Path input = new Path("/testkit/flood/words.txt");
        Path output = new Path("/testkit/flood/out");
        Demo.writeText(cluster.fileSystem(), input, 20_000, 31);
        List<String> expected = Reference.wordCountLines(cluster.fileSystem(), input);

        ShuffleTenant tenant = ShuffleTenant.register(cluster, 4242);
        writeOutputs(tenant.shuffleDir());
        long baseline = openDescriptors();
        Process flood = new ProcessBuilder(
                        java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java")
                                .toString(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        ShuffleFlood.class.getName(),
                        "127.0.0.1",
                        Integer.toString(tenant.port()),
                        tenant.app().toString(),
                        Base64.getEncoder().encodeToString(tenant.secret()),
                        Integer.toString(UNAUTHENTICATED),
                        Integer.toString(STALLED),
                        "1",
                        "2",
                        Integer.toString(TINY_PARTITIONS),
                        "127.0.0.77",
                        "127.0.0.78")
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        try {
            BufferedReader lines =
                    new BufferedReader(new InputStreamReader(flood.getInputStream(), StandardCharsets.UTF_8));
            String line = lines.readLine();
            assertTrue(line != null, "the flood ended without its counts (exit " + waitFor(flood) + ")");
            Matcher m = COUNTS.matcher(line);
            assertTrue(m.matches(), line);
            int refusedAtOnce = Integer.parseInt(m.group(1));
            int busy = Integer.parseInt(m.group(2));
            int inFlight = Integer.parseInt(m.group(3));
            assertEquals(TINY_PARTITIONS, Integer.parseInt(m.group(4)), "4,096 tiny blocks served in full: " + line);
            // The defaults: 64 unauthenticated connections per remote address, a 1 GiB byte budget (32 blocks).
            assertTrue(refusedAtOnce >= UNAUTHENTICATED - 64, "unauthenticated connections beyond the cap: " + line);
            assertTrue(inFlight <= 32 && busy == STALLED - inFlight, "the byte budget held, the rest BUSY: " + line);

            long atFlood = openDescriptors();
            System.out.println("flood: descriptors " + baseline + " before, " + atFlood + " while the flood held");
            // While the flood holds its sockets, a well-behaved job runs through the same services.
            SubmittedJob job = cluster.submit(WordCount.class, input.toString(), output.toString());
            long peak = openDescriptors();
            while (!job.isDone()) {
                peak = Math.max(peak, openDescriptors());
                Thread.sleep(200); // sampling the descriptor count while the job runs
            }
            JobOutcome outcome = job.await(Duration.ofMinutes(4));
            assertEquals(0, outcome.exitCode(), outcome::toString);
            WeftAssertions.assertTextOutputEquals(cluster.fileSystem(), output, expected);
            // Held by the NodeManager for the flood: at most 64 unauthenticated sockets, 200 authenticated ones and
            // one data file per block in flight; the job's containers and HDFS streams add a few hundred more. The
            // 2,000 unauthenticated connections alone would exceed the bound.
            long grown = peak - baseline;
            System.out.println("flood: " + line + "; NodeManager JVM descriptors " + baseline + " before, peak " + peak
                    + " (+" + grown + ")");
            assertTrue(grown < 1_200, "descriptors grew by " + grown + " (" + baseline + " -> " + peak + ")");
        } finally {
            flood.getOutputStream().close();
            waitFor(flood);
            tenant.close();
        }
    }

    /** Map output 0 of shuffle 1: one block of {@link #BIG_BYTES} (sparse zeros); of shuffle 2: 4,096 3-byte blocks. */
    private static void writeOutputs(java.nio.file.Path dir) throws Exception {
        Files.createDirectories(dir);
        try (RandomAccessFile big = new RandomAccessFile(
                dir.resolve(ShuffleFileNames.dataFile(1, 0, 0)).toFile(), "rw")) {
            big.setLength(BIG_BYTES);
        }
        CRC32C zeros = new CRC32C();
        zeros.update(new byte[BIG_BYTES]);
        MapOutputIndexFormat.write(
                PartitionIndex.fromLengths(new long[] {BIG_BYTES}, new int[] {(int) zeros.getValue()}),
                dir.resolve(ShuffleFileNames.indexFile(1, 0, 0)));
        byte[] tiny = new byte[3 * TINY_PARTITIONS];
        long[] lengths = new long[TINY_PARTITIONS];
        int[] crcs = new int[TINY_PARTITIONS];
        Arrays.fill(lengths, 3);
        for (int p = 0; p < TINY_PARTITIONS; p++) {
            tiny[3 * p] = (byte) p;
            CRC32C crc = new CRC32C();
            crc.update(tiny, 3 * p, 3);
            crcs[p] = (int) crc.getValue();
        }
        Files.write(dir.resolve(ShuffleFileNames.dataFile(2, 0, 0)), tiny);
        MapOutputIndexFormat.write(
                PartitionIndex.fromLengths(lengths, crcs), dir.resolve(ShuffleFileNames.indexFile(2, 0, 0)));
    }

    /** The NodeManager's AuxServices (no accessor: the NodeManager hands it events itself). */
    private static long openDescriptors() throws Exception {
        try (var fds = Files.list(java.nio.file.Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }

    private static int waitFor(Process p) throws InterruptedException {
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return -1;
        }
        return p.exitValue();
    }
}
