package dev.weft.executor.shuffle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.weft.exec.ShuffleBlockProvider;
import dev.weft.shuffle.BlockLocation;
import dev.weft.shuffle.FetchFailedException;
import dev.weft.shuffle.LocalShuffleBlock;
import dev.weft.shuffle.MapStatus;
import dev.weft.shuffle.ShuffleBlockSource;
import dev.weft.shuffle.ShuffleFiles;
import java.io.InputStream;
import java.nio.file.Path;
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
    void otherExecutorsOutputIsAFetchFailureWithoutATransport() {
        ShuffleBlockProvider p = ShuffleBlockProviderFactory.DEFAULT.create("exec-1", new ShuffleFiles(dir));
        FetchFailedException e = assertThrows(FetchFailedException.class, () -> p.block(status("exec-2"), 1));
        assertEquals(4, e.shuffleId());
        assertEquals(2, e.mapId());
        assertEquals(1, e.reduceId());
        assertEquals("exec-2@h", e.location());
    }

    @Test
    void otherExecutorsOutputGoesToTheConfiguredFetcher() {
        ShuffleBlockSource remote = new ShuffleBlockSource() {
            @Override
            public int mapId() {
                return 2;
            }

            @Override
            public long mapAttemptId() {
                return 9;
            }

            @Override
            public String location() {
                return "remote";
            }

            @Override
            public InputStream open() {
                return InputStream.nullInputStream();
            }
        };
        ShuffleBlockProvider p = new LocalFirstBlockProvider("exec-1", new ShuffleFiles(dir), (s, r) -> remote);
        assertSame(remote, p.block(status("exec-2"), 0));
    }
}
