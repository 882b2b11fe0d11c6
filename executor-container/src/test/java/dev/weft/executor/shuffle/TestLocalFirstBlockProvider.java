package dev.weft.executor.shuffle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.weft.exec.ReduceBlocks;
import dev.weft.exec.ShuffleBlockProvider;
import dev.weft.shuffle.BlockLocation;
import dev.weft.shuffle.LocalShuffleBlock;
import dev.weft.shuffle.MapStatus;
import dev.weft.shuffle.ShuffleBlockSource;
import dev.weft.shuffle.ShuffleFiles;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestLocalFirstBlockProvider {
    @TempDir
    Path dir;

    private static MapStatus status(String executorId) {
        return MapStatus.of(4, 2, 33, new BlockLocation(executorId, "h", -1), new long[] {10, 20});
    }

    @Test
    void ownOutputIsReadFromLocalFiles() {
        ShuffleBlockProvider p = ShuffleBlockProviderFactory.DEFAULT.create("exec-1", new ShuffleFiles(dir));
        ShuffleBlockSource block = p.block(status("exec-1"), 1);
        assertInstanceOf(LocalShuffleBlock.class, block);
        assertEquals(2, block.mapId());
    }

    @Test
    void otherExecutorsOutputFailsToOpenWithoutATransport() {
        ShuffleBlockProvider p = ShuffleBlockProviderFactory.DEFAULT.create("exec-1", new ShuffleFiles(dir));
        ShuffleBlockSource block = p.block(status("exec-2"), 1);
        assertEquals(2, block.mapId());
        assertEquals(33, block.mapAttemptId());
        assertEquals("exec-2@h", block.location());
        IOException e = assertThrows(IOException.class, block::open);
        assertEquals("no block transport configured", e.getMessage());
    }

    @Test
    void otherExecutorsOutputGoesToTheConfiguredFetcher() throws IOException {
        byte[] bytes = {1, 2, 3};
        List<MapStatus> asked = new ArrayList<>();
        RemoteBlockFetcher fetcher = (s, r) -> {
            asked.add(s);
            return CompletableFuture.completedFuture(new ByteArrayInputStream(bytes));
        };
        ShuffleBlockProvider p = new LocalFirstBlockProvider(
                "exec-1", "h", new ShuffleFiles(dir), fetcher, ShuffleFetchConfig.defaults());
        ShuffleBlockSource block = p.block(status("exec-2"), 0);
        assertEquals(List.of(), asked, "nothing is fetched before the block is opened");
        try (InputStream in = block.open()) {
            assertArrayEquals(bytes, in.readAllBytes());
        }
        assertEquals(1, asked.size());
    }

    @Test
    void anotherExecutorsOutputOnThisHostIsReadFromTheSharedFilesWhenTheyAreThere() throws IOException {
        MapStatus other = status("exec-2");
        ShuffleFiles files = new ShuffleFiles(dir);
        RemoteBlockFetcher refuse = (s, r) -> CompletableFuture.failedFuture(new IOException("fetched " + s));
        ShuffleBlockProvider sameHost =
                new LocalFirstBlockProvider("exec-1", "h", files, refuse, ShuffleFetchConfig.defaults());
        assertInstanceOf(LazyRemoteBlockSource.class, sameHost.block(other, 1), "no files yet: fetched");

        Files.write(files.indexFile(4, 2, 33), new byte[] {0});
        Files.write(files.dataFile(4, 2, 33), new byte[] {0});
        assertInstanceOf(LocalShuffleBlock.class, sameHost.block(other, 1));
        ShuffleBlockProvider otherHost =
                new LocalFirstBlockProvider("exec-1", "g", files, refuse, ShuffleFetchConfig.defaults());
        assertInstanceOf(LazyRemoteBlockSource.class, otherHost.block(other, 1), "another host's output is fetched");
        try (ReduceBlocks blocks = sameHost.blocks(List.of(other), 1, true)) {
            assertInstanceOf(LocalShuffleBlock.class, blocks.sources().get(0));
        }
    }
}
