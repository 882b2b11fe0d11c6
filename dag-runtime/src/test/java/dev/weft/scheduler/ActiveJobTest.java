package dev.weft.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ActiveJobTest {
    private static ActiveJob job(int... partitions) {
        return new ActiveJob(0, null, null, partitions, (i, v) -> {});
    }

    @Test
    void aJobOverAllSplitsFindsEachAtItsOwnIndex() {
        ActiveJob all = job(0, 1, 2);
        assertEquals(0, all.indexOf(0));
        assertEquals(2, all.indexOf(2));
        assertEquals(-1, all.indexOf(3));
        assertEquals(-1, all.indexOf(-1));
    }

    @Test
    void aJobOverSomeSplitsFindsTheirPositionsAndTheFirstOfADuplicate() {
        ActiveJob some = job(7, 2, 7, 0);
        assertEquals(0, some.indexOf(7));
        assertEquals(1, some.indexOf(2));
        assertEquals(3, some.indexOf(0));
        assertEquals(-1, some.indexOf(1));
    }
}
