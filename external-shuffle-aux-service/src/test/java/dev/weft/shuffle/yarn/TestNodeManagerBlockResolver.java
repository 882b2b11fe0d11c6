package dev.weft.shuffle.yarn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.shuffle.format.ShuffleFileNames;
import dev.weft.transport.BlockNotFoundException;
import dev.weft.transport.ErrorCode;
import dev.weft.transport.ResolvedMapOutput;
import dev.weft.transport.TransportException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestNodeManagerBlockResolver {
    private static final String APP = "application_1700000000000_0001";
    private static final String OTHER_APP = "application_1700000000000_0002";

    @TempDir
    Path tmp;

    private Path dir1;
    private Path dir2;
    private AppSecrets apps;
    private TestingLocalPathHandler handler;
    private NodeManagerBlockResolver resolver;

    @BeforeEach
    void setUp() throws IOException {
        dir1 = Files.createDirectories(tmp.resolve("nm-local-1"));
        dir2 = Files.createDirectories(tmp.resolve("nm-local-2"));
        apps = new AppSecrets();
        apps.register(new AppSecrets.Registration(APP, "alice", new byte[] {1, 2, 3}));
        handler = new TestingLocalPathHandler(List.of(dir1, dir2));
        resolver = new NodeManagerBlockResolver(apps, () -> handler);
        // The map output sits in the second local dir: the resolver must search all of them.
        MapOutputFiles.write(
                MapOutputFiles.shuffleDir(dir2, "alice", APP),
                4,
                7,
                2,
                bytes("zero"),
                bytes(""),
                bytes("second partition"));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static ErrorCode codeOf(ThrowingCall call) {
        return assertThrows(BlockNotFoundException.class, call::run).code();
    }

    private static ErrorCode refusal(ThrowingCall call) {
        return assertThrows(TransportException.class, call::run).code();
    }

    private ResolvedMapOutput.Segment segment(String app, int shuffle, int map, long attempt, int reduce)
            throws IOException {
        return resolver.resolve(app, shuffle, map, attempt).segment(reduce);
    }

    /** The bytes of one partition, read through the resolved output's own data channel. */
    private static byte[] read(ResolvedMapOutput output, int reduce) throws IOException {
        ResolvedMapOutput.Segment s = output.segment(reduce);
        ByteBuffer buf = ByteBuffer.allocate((int) s.length());
        try (FileChannel channel = output.openData()) {
            while (buf.hasRemaining() && channel.read(buf, s.offset() + buf.position()) >= 0) {
                // reads the segment
            }
        }
        return buf.array();
    }

    private interface ThrowingCall {
        void run() throws IOException;
    }

    @Test
    void resolvesEachPartitionInAnyLocalDir() throws IOException {
        ResolvedMapOutput output = resolver.resolve(APP, 4, 7, 2);
        assertEquals(3, output.numPartitions());
        assertEquals("second partition", new String(read(output, 2), StandardCharsets.UTF_8));
        assertEquals("zero", new String(read(output, 0), StandardCharsets.UTF_8));
        ResolvedMapOutput.Segment second = output.segment(2);
        assertEquals(4, second.offset());
        assertEquals(16, second.length());
        CRC32C crc = new CRC32C();
        crc.update(bytes("second partition"));
        assertEquals((int) crc.getValue(), second.crc32c());
        assertEquals(0, segment(APP, 4, 7, 2, 1).length());
        assertEquals(
                List.of("usercache/alice/appcache/" + APP + "/weft/shuffle/shuffle_4_7_2.index"),
                handler.requested,
                "the location is cached after the first lookup");
        assertEquals(1, resolver.cachedOutputs(APP));
    }

    @Test
    void outOfRangeAndNegativeIds() {
        assertEquals(ErrorCode.OUT_OF_RANGE, codeOf(() -> segment(APP, 4, 7, 2, 3)));
        assertEquals(ErrorCode.OUT_OF_RANGE, codeOf(() -> segment(APP, 4, 7, 2, -1)));
        assertEquals(ErrorCode.BLOCK_NOT_FOUND, codeOf(() -> resolver.resolve(APP, -4, 7, 2)));
        assertEquals(ErrorCode.BLOCK_NOT_FOUND, codeOf(() -> resolver.resolve(APP, 4, -7, 2)));
        assertEquals(ErrorCode.BLOCK_NOT_FOUND, codeOf(() -> resolver.resolve(APP, 4, 7, -2)));
        assertTrue(
                handler.requested.stream().noneMatch(p -> p.contains("-")), "negative ids never reach the file system");
    }

    @Test
    void unknownAppsAndMissingOutputs() {
        assertEquals(ErrorCode.UNKNOWN_APP, codeOf(() -> resolver.resolve(OTHER_APP, 4, 7, 2)));
        assertEquals(ErrorCode.BLOCK_NOT_FOUND, codeOf(() -> resolver.resolve(APP, 4, 8, 2)));
        assertEquals(ErrorCode.BLOCK_NOT_FOUND, codeOf(() -> resolver.resolve(APP, 4, 7, 3)));
    }

    @Test
    void pathTraversalThroughTheAppIdIsImpossible() throws IOException {
        // A secret file another app owns, reachable by "../" games if the app id became a path component unchecked.
        MapOutputFiles.write(MapOutputFiles.shuffleDir(dir2, "bob", OTHER_APP), 4, 7, 2, bytes("bob's data"));
        for (String evil : List.of(
                APP + "/../" + OTHER_APP,
                "../../bob/appcache/" + OTHER_APP,
                APP + "/..",
                "..",
                "",
                "application_1_1\u0000",
                "/etc/passwd",
                "application_x_1")) {
            assertEquals(ErrorCode.UNKNOWN_APP, codeOf(() -> resolver.resolve(evil, 4, 7, 2)), evil);
        }
        assertTrue(
                handler.requested.isEmpty(), "nothing but validated ids reach the path handler: " + handler.requested);
    }

    @Test
    void usersThatCouldEscapeAreRejectedAtRegistration() {
        for (String user : List.of("..", ".", "a/b", "../bob", "", "al ice")) {
            assertThrows(
                    IllegalArgumentException.class, () -> new AppSecrets.Registration(APP, user, new byte[] {1}), user);
        }
    }

    @Test
    void forgetsTheAppAndVanishedFiles() throws IOException {
        resolver.resolve(APP, 4, 7, 2);
        Path shuffleDir = MapOutputFiles.shuffleDir(dir2, "alice", APP);
        Files.delete(shuffleDir.resolve(ShuffleFileNames.indexFile(4, 7, 2)));
        assertEquals(ErrorCode.BLOCK_NOT_FOUND, codeOf(() -> resolver.resolve(APP, 4, 7, 2)));
        assertEquals(0, resolver.cachedOutputs(APP), "a vanished file is not kept in the cache");

        MapOutputFiles.write(shuffleDir, 4, 7, 2, bytes("again"));
        resolver.resolve(APP, 4, 7, 2);
        assertEquals(1, resolver.cachedOutputs(APP));
        apps.unregister(APP);
        resolver.forgetApp(APP);
        assertEquals(0, resolver.cachedOutputs(APP));
        assertEquals(ErrorCode.UNKNOWN_APP, codeOf(() -> resolver.resolve(APP, 4, 7, 2)));
        assertFalse(apps.contains(APP));
    }

    @Test
    void aCorruptIndexIsAnInternalErrorNotAMissingBlock() throws IOException {
        Path index = MapOutputFiles.shuffleDir(dir2, "alice", APP).resolve(ShuffleFileNames.indexFile(4, 7, 2));
        byte[] bytes = Files.readAllBytes(index);
        bytes[13] ^= 1;
        Files.write(index, bytes);
        IOException e = assertThrows(IOException.class, () -> resolver.resolve(APP, 4, 7, 2));
        assertFalse(e instanceof BlockNotFoundException, e.toString());
    }

    private Path shuffleDir() {
        return MapOutputFiles.shuffleDir(dir2, "alice", APP);
    }

    @Test
    void anIndexOrDataFileThatIsASymbolicLinkIsRefusedUnread() throws IOException {
        // bob's output (another application) that alice would like to read through her own output's names.
        Path bobs = MapOutputFiles.shuffleDir(dir1, "bob", OTHER_APP);
        MapOutputFiles.write(bobs, 4, 7, 2, bytes("bob's secret data"));
        Path index = shuffleDir().resolve(ShuffleFileNames.indexFile(4, 7, 2));
        Path data = shuffleDir().resolve(ShuffleFileNames.dataFile(4, 7, 2));

        Files.delete(data);
        Files.createSymbolicLink(data, bobs.resolve(ShuffleFileNames.dataFile(4, 7, 2)));
        ResolvedMapOutput output = resolver.resolve(APP, 4, 7, 2);
        assertEquals(ErrorCode.UNSAFE_FILE, refusal(output::openData), "a linked data file is not opened");

        Files.delete(index);
        Files.createSymbolicLink(index, bobs.resolve(ShuffleFileNames.indexFile(4, 7, 2)));
        assertEquals(ErrorCode.UNSAFE_FILE, refusal(() -> resolver.resolve(APP, 4, 7, 2)));
    }

    @Test
    void aLinkedDirectoryIsRefused() throws IOException {
        // alice replaces her app's weft/ directory with a link to bob's: every file name checks out, the place not.
        Path bobsAppDir = dir2.resolve("usercache/bob/appcache/" + OTHER_APP);
        MapOutputFiles.write(MapOutputFiles.shuffleDir(dir2, "bob", OTHER_APP), 4, 7, 2, bytes("bob's data"));
        Path weft = dir2.resolve("usercache/alice/appcache/" + APP + "/weft");
        try (var walk = Files.walk(weft)) {
            walk.sorted(java.util.Comparator.reverseOrder())
                    .forEach(p -> p.toFile().delete());
        }
        Files.createSymbolicLink(weft, bobsAppDir.resolve("weft"));
        assertEquals(ErrorCode.UNSAFE_FILE, refusal(() -> resolver.resolve(APP, 4, 7, 2)));
    }

    @Test
    void aFifoAHardLinkAndAnOversizedIndexAreRefused() throws Exception {
        Path index = shuffleDir().resolve(ShuffleFileNames.indexFile(4, 7, 2));
        Files.delete(index);
        Process mkfifo = new ProcessBuilder("mkfifo", index.toString()).start();
        assertEquals(0, mkfifo.waitFor(), "mkfifo");
        // Opening a FIFO for reading would block until a writer came: refused before any open.
        assertEquals(ErrorCode.UNSAFE_FILE, refusal(() -> resolver.resolve(APP, 4, 7, 2)));

        Files.delete(index);
        Path elsewhere = tmp.resolve("nodemanager-secret");
        Files.write(elsewhere, bytes("keytab"));
        Files.createLink(index, elsewhere);
        assertEquals(ErrorCode.UNSAFE_FILE, refusal(() -> resolver.resolve(APP, 4, 7, 2)), "a second name");

        Files.delete(index);
        try (FileChannel sparse = FileChannel.open(
                index, java.nio.file.StandardOpenOption.CREATE_NEW, java.nio.file.StandardOpenOption.WRITE)) {
            sparse.write(ByteBuffer.wrap(new byte[] {1}), 2L << 30);
        }
        assertEquals(ErrorCode.UNSAFE_FILE, refusal(() -> resolver.resolve(APP, 4, 7, 2)), "a 2 GiB sparse index");
    }

    @Test
    void filesOfAnotherOwnerAreRefused() throws IOException {
        // The files belong to the user running this test, who is neither the app's user nor the service's here.
        NodeManagerBlockResolver strict = new NodeManagerBlockResolver(apps, () -> handler, "weft-test-nm-user");
        TransportException e = assertThrows(TransportException.class, () -> strict.resolve(APP, 4, 7, 2));
        assertEquals(ErrorCode.UNSAFE_FILE, e.code());
        assertTrue(e.getMessage().contains("owned by"), e.getMessage());
    }
}
