package dev.weft.yarn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class PreemptionReaskTest {
    private static final long MS = 1_000_000L;

    @Test
    void replacementsWaitUntilTheResourceManagerHasBeenQuietForTheDelay() {
        PreemptionReask reask = new PreemptionReask(5_000);
        reask.asked(0);
        reask.holdBack(1, 100 * MS);
        reask.holdBack(1, 200 * MS);
        assertEquals(0, reask.due(5_100 * MS), "5 s after the first loss, but not after the last");
        reask.asked(3_000 * MS);
        assertEquals(0, reask.due(7_999 * MS), "a later message restarts the wait");
        assertEquals(2, reask.due(8_000 * MS));
        assertEquals(0, reask.owed());
        assertEquals(0, reask.due(60_000 * MS), "each replacement is asked for once");
    }

    @Test
    void messagesWithoutLossesOweNothing() {
        PreemptionReask reask = new PreemptionReask(1_000);
        reask.asked(0);
        assertEquals(0, reask.due(10_000 * MS));
    }

    @Test
    void zeroDelayAsksAgainAtOnce() {
        PreemptionReask reask = new PreemptionReask(0);
        reask.holdBack(3, 42);
        assertEquals(3, reask.due(42));
    }

    @Test
    void aNegativeDelayIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new PreemptionReask(-1));
        assertThrows(IllegalArgumentException.class, () -> new PreemptionReask(0).holdBack(-1, 0));
    }
}
