package dev.weft.shuffle.yarn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.shuffle.format.ShuffleFileNames;
import dev.weft.transport.BlockNotFoundException;
import dev.weft.transport.ErrorCode;
import dev.weft.transport.FileSegment;
import java.io.IOException;
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

    private interface ThrowingCall {
        void run() throws IOException;
    }

    @Test
    void resolvesEachPartitionInAnyLocalDir() throws IOException {
        Path data = MapOutputFiles.shuffleDir(dir2, "alice", APP).resolve(ShuffleFileNames.dataFile(4, 7, 2));
        FileSegment second = resolver.resolve(APP, 4, 7, 2, 2);
        assertEquals(data, second.file());
        assertEquals(4, second.offset());
        assertEquals(16, second.length());
        CRC32C crc = new CRC32C();
        crc.update(bytes("second partition"));
        assertEquals((int) crc.getValue(), second.crc32c());
        assertEquals(0, resolver.resolve(APP, 4, 7, 2, 1).length());
        assertEquals(
                List.of("usercache/alice/appcache/" + APP + "/weft/shuffle/shuffle_4_7_2.index"),
                handler.requested,
                "the location is cached after the first lookup");
        assertEquals(1, resolver.cachedOutputs(APP));
    }

    @Test
    void outOfRangeAndNegativeIds() {
        assertEquals(ErrorCode.OUT_OF_RANGE, codeOf(() -> resolver.resolve(APP, 4, 7, 2, 3)));
        assertEquals(ErrorCode.OUT_OF_RANGE, codeOf(() -> resolver.resolve(APP, 4, 7, 2, -1)));
        assertEquals(ErrorCode.BLOCK_NOT_FOUND, codeOf(() -> resolver.resolve(APP, -4, 7, 2, 0)));
        assertEquals(ErrorCode.BLOCK_NOT_FOUND, codeOf(() -> resolver.resolve(APP, 4, -7, 2, 0)));
        assertEquals(ErrorCode.BLOCK_NOT_FOUND, codeOf(() -> resolver.resolve(APP, 4, 7, -2, 0)));
        assertTrue(
                handler.requested.stream().noneMatch(p -> p.contains("-")), "negative ids never reach the file system");
    }

    @Test
    void unknownAppsAndMissingOutputs() {
        assertEquals(ErrorCode.UNKNOWN_APP, codeOf(() -> resolver.resolve(OTHER_APP, 4, 7, 2, 0)));
        assertEquals(ErrorCode.BLOCK_NOT_FOUND, codeOf(() -> resolver.resolve(APP, 4, 8, 2, 0)));
        assertEquals(ErrorCode.BLOCK_NOT_FOUND, codeOf(() -> resolver.resolve(APP, 4, 7, 3, 0)));
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
            assertEquals(ErrorCode.UNKNOWN_APP, codeOf(() -> resolver.resolve(evil, 4, 7, 2, 0)), evil);
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
        resolver.resolve(APP, 4, 7, 2, 0);
        Path shuffleDir = MapOutputFiles.shuffleDir(dir2, "alice", APP);
        Files.delete(shuffleDir.resolve(ShuffleFileNames.indexFile(4, 7, 2)));
        assertEquals(ErrorCode.BLOCK_NOT_FOUND, codeOf(() -> resolver.resolve(APP, 4, 7, 2, 0)));
        assertEquals(0, resolver.cachedOutputs(APP), "a vanished file is not kept in the cache");

        MapOutputFiles.write(shuffleDir, 4, 7, 2, bytes("again"));
        resolver.resolve(APP, 4, 7, 2, 0);
        assertEquals(1, resolver.cachedOutputs(APP));
        apps.unregister(APP);
        resolver.forgetApp(APP);
        assertEquals(0, resolver.cachedOutputs(APP));
        assertEquals(ErrorCode.UNKNOWN_APP, codeOf(() -> resolver.resolve(APP, 4, 7, 2, 0)));
        assertFalse(apps.contains(APP));
    }

    @Test
    void aCorruptIndexIsAnInternalErrorNotAMissingBlock() throws IOException {
        Path index = MapOutputFiles.shuffleDir(dir2, "alice", APP).resolve(ShuffleFileNames.indexFile(4, 7, 2));
        byte[] bytes = Files.readAllBytes(index);
        bytes[13] ^= 1;
        Files.write(index, bytes);
        IOException e = assertThrows(IOException.class, () -> resolver.resolve(APP, 4, 7, 2, 0));
        assertFalse(e instanceof BlockNotFoundException, e.toString());
    }
}
