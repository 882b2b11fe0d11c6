package dev.weft.yarn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.conf.WeftConf;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** When dynamic allocation asks for executors, how fast it ramps, where it stops, and what it lets go. */
class DynamicAllocationTest {
    private static final long MS = 1_000_000L;

    private static DynamicAllocation on(int min, int max) {
        return new DynamicAllocation(new DynamicAllocation.Settings(true, min, max, 1_000));
    }

    @Test
    void asksOnlyOnceTasksWaitedTheBacklogTimeoutThenDoublesEachTimeout() {
        DynamicAllocation d = on(0, 100);
        int executors = 1;
        assertEquals(0, d.toRequest(0, 50, 2, 2, executors), "the backlog starts");
        assertEquals(0, d.toRequest(999 * MS, 50, 2, 2, executors), "not yet");
        int first = d.toRequest(1_000 * MS, 50, 2, 2, executors);
        assertEquals(1, first);
        executors += first;
        assertEquals(0, d.toRequest(1_500 * MS, 50, 2, 2, executors), "one ramp per timeout");
        assertEquals(2, d.toRequest(2_000 * MS, 50, 2, 2, executors));
        executors += 2;
        assertEquals(4, d.toRequest(3_000 * MS, 50, 2, 2, executors));
    }

    @Test
    void neverAsksBeyondWhatTheTasksCanUseNorBeyondTheMaximum() {
        DynamicAllocation d = on(0, 3);
        d.toRequest(0, 5, 0, 2, 2);
        assertEquals(1, d.toRequest(1_000 * MS, 5, 0, 2, 2), "5 tasks on 2 cores: 3 executors");
        assertEquals(0, d.toRequest(2_000 * MS, 5, 0, 2, 3), "they are there");
        DynamicAllocation capped = on(0, 3);
        capped.toRequest(0, 1_000, 0, 1, 1);
        capped.toRequest(1_000 * MS, 1_000, 0, 1, 1);
        assertEquals(1, capped.toRequest(2_000 * MS, 1_000, 0, 1, 2), "the ramp would say 2; the maximum says 1");
    }

    @Test
    void aBacklogThatClearsStartsTheRampAgain() {
        DynamicAllocation d = on(0, 100);
        d.toRequest(0, 50, 0, 1, 1);
        d.toRequest(1_000 * MS, 50, 0, 1, 1);
        d.toRequest(2_000 * MS, 50, 0, 1, 2);
        assertEquals(0, d.toRequest(3_000 * MS, 0, 4, 1, 4), "nothing waits");
        assertEquals(0, d.toRequest(3_100 * MS, 50, 0, 1, 4), "a new backlog starts its own wait");
        assertEquals(1, d.toRequest(4_100 * MS, 50, 0, 1, 4), "and its ramp starts at one");
    }

    @Test
    void idleExecutorsGoDownToTheMinimumOnly() {
        assertEquals(3, on(2, 9).releasable(5));
        assertEquals(0, on(2, 9).releasable(2));
        assertEquals(5, new DynamicAllocation(new DynamicAllocation.Settings(false, 2, 9, 1_000)).releasable(5));
        assertEquals(
                0, new DynamicAllocation(new DynamicAllocation.Settings(false, 2, 9, 1_000)).toRequest(0, 9, 0, 1, 1));
    }

    @Test
    void settingsThatContradictEachOtherAreRefusedNamingTheKeys() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> DynamicAllocation.Settings.from(WeftConf.of(Map.of(
                        "weft.dynamic-allocation.min-executors", "5", "weft.dynamic-allocation.max-executors", "3"))));
        assertTrue(e.getMessage().contains("weft.dynamic-allocation.min-executors"), e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class,
                () -> DynamicAllocation.Settings.from(WeftConf.of(
                        Map.of("weft.executor.instances", "4", "weft.dynamic-allocation.max-executors", "3"))));
        assertTrue(e.getMessage().contains("weft.executor.instances"), e.getMessage());
        DynamicAllocation.Settings defaults = DynamicAllocation.Settings.from(WeftConf.defaults());
        assertEquals(2, defaults.max(), "default maximum: weft.executor.instances");
        assertTrue(defaults.enabled());
    }
}
