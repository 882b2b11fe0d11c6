package dev.weft.shuffle.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TestShuffleFileNames {
    @Test
    void namesFollowTheRule() {
        assertEquals("shuffle_3_17_9000000000.data", ShuffleFileNames.dataFile(3, 17, 9_000_000_000L));
        assertEquals("shuffle_3_17_0.index", ShuffleFileNames.indexFile(3, 17, 0));
        assertEquals("shuffle_3_", ShuffleFileNames.shufflePrefix(3));
        assertTrue(ShuffleFileNames.dataFile(3, 17, 1).startsWith(ShuffleFileNames.shufflePrefix(3)));
        assertEquals("weft/shuffle", ShuffleFileNames.DIR_UNDER_APP_LOCAL_DIR);
    }
}
