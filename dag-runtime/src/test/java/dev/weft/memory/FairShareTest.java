package dev.weft.memory;

import static dev.weft.memory.FairShare.Decision.GRANT;
import static dev.weft.memory.FairShare.Decision.REFUSE;
import static dev.weft.memory.FairShare.Decision.WAIT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The fair-share rule at its boundaries: 1/N caps, 1/(2N) guarantees. */
class FairShareTest {
    @Test
    void grantsWithinTheCapWhenFree() {
        assertEquals(GRANT, FairShare.decide(1000, 1, 0, 1000, 1000));
        assertEquals(GRANT, FairShare.decide(1000, 2, 400, 100, 100), "up to exactly 1/N");
        assertEquals(GRANT, FairShare.decide(1000, 2, 0, 0, 0), "nothing asked, nothing to refuse");
    }

    @Test
    void refusesBeyondOneNthEvenWhenFree() {
        assertEquals(REFUSE, FairShare.decide(1000, 2, 400, 600, 101));
        assertEquals(REFUSE, FairShare.decide(1000, 4, 0, 1000, 251));
        assertEquals(REFUSE, FairShare.decide(1000, 2, 600, 400, 0), "already over the cap");
    }

    @Test
    void waitsOnlyBelowTheGuarantee() {
        assertEquals(WAIT, FairShare.decide(1000, 2, 249, 0, 1));
        assertEquals(REFUSE, FairShare.decide(1000, 2, 250, 0, 1), "at 1/(2N): spill instead");
        assertEquals(WAIT, FairShare.decide(1000, 2, 0, 0, 500), "a request up to the cap may wait");
        assertEquals(REFUSE, FairShare.decide(1000, 2, 0, 0, 501), "beyond the cap never waits");
        assertEquals(REFUSE, FairShare.decide(0, 1, 0, 0, 1), "an empty pool: nothing to wait for");
    }

    @Test
    void aLoneTaskNeverWaits() {
        // Alone, whatever is not free is held by the asker itself, so waiting would be for itself.
        for (long held = 0; held <= 1000; held += 100) {
            for (long bytes = 1; bytes <= 1000; bytes += 99) {
                assertEquals(
                        held + bytes <= 1000 ? GRANT : REFUSE, FairShare.decide(1000, 1, held, 1000 - held, bytes));
            }
        }
    }

    @Test
    void rejectsImpossibleFigures() {
        assertThrows(IllegalArgumentException.class, () -> FairShare.decide(1000, 0, 0, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> FairShare.decide(1000, 1, 0, 0, -1));
        assertThrows(IllegalArgumentException.class, () -> FairShare.decide(-1, 1, 0, 0, 1));
    }
}
