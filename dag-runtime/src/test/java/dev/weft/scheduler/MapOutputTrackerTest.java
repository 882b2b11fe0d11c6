package dev.weft.scheduler;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.id.MapOutputId;
import dev.weft.id.ShuffleId;
import dev.weft.shuffle.BlockLocation;
import dev.weft.shuffle.FetchFailedException;
import dev.weft.shuffle.MapStatus;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MapOutputTrackerTest {
    private static final ShuffleId S0 = new ShuffleId(0);
    private static final ShuffleId S1 = new ShuffleId(1);

    private static MapStatus status(int shuffle, int map, String executor, String host, int port) {
        return MapStatus.of(shuffle, map, 100 + map, new BlockLocation(executor, host, port), new long[] {1, 0});
    }

    @Test
    void registeredStatusesAreReturnedByShuffleAndMissingOnesListed() {
        MapOutputTracker tracker = new MapOutputTracker();
        tracker.registerShuffle(S0, 3);
        MapStatus m1 = status(0, 1, "e1", "h1", -1);
        tracker.register(m1);

        MapStatus[] statuses = tracker.statuses(S0);
        assertEquals(3, statuses.length);
        assertNull(statuses[0]);
        assertSame(m1, statuses[1]);
        assertEquals(List.of(0, 2), tracker.missing(S0));
        assertSame(m1, tracker.status(0, 1));
    }

    @Test
    void readersGetACopyThatLaterUpdatesDoNotChange() {
        MapOutputTracker tracker = new MapOutputTracker();
        tracker.registerShuffle(S0, 1);
        MapStatus[] before = tracker.statuses(S0);
        tracker.register(status(0, 0, "e1", "h1", -1));
        assertArrayEquals(new MapStatus[1], before);
        before[0] = status(0, 0, "e9", "h9", -1);
        assertEquals("e1", tracker.statuses(S0)[0].location().executorId());
    }

    @Test
    void unknownShuffleIsAnError() {
        MapOutputTracker tracker = new MapOutputTracker();
        assertThrows(IllegalStateException.class, () -> tracker.statuses(new ShuffleId(7)));
        tracker.registerShuffle(S0, 1);
        tracker.removeShuffle(S0);
        assertThrows(IllegalStateException.class, () -> tracker.statuses(S0));
    }

    @Test
    void losingAnExecutorForgetsExactlyItsOutputsAndNamesThem() {
        MapOutputTracker tracker = new MapOutputTracker();
        tracker.registerShuffle(S0, 2);
        tracker.registerShuffle(S1, 2);
        tracker.register(status(0, 0, "e1", "h1", -1));
        tracker.register(status(0, 1, "e2", "h2", -1));
        tracker.register(status(1, 1, "e1", "h1", -1));

        List<MapOutputId> lost = tracker.unregisterExecutor("e1");

        assertEquals(Set.of(MapOutputId.of(0, 0), MapOutputId.of(1, 1)), Set.copyOf(lost));
        assertEquals(2, lost.size());
        assertEquals(List.of(0), tracker.missing(S0));
        assertEquals(List.of(0, 1), tracker.missing(S1));
        assertTrue(tracker.unregisterExecutor("e1").isEmpty());
    }

    @Test
    void losingAServerForgetsOnlyOutputsServedFromThatHostAndPort() {
        MapOutputTracker tracker = new MapOutputTracker();
        tracker.registerShuffle(S0, 3);
        tracker.register(status(0, 0, "e1", "h1", 7337));
        tracker.register(status(0, 1, "e2", "h1", 7338));
        tracker.register(status(0, 2, "e3", "h2", 7337));

        assertEquals(List.of(MapOutputId.of(0, 0)), tracker.unregisterServer("h1", 7337));
        assertEquals(List.of(0), tracker.missing(S0));
        assertFalse(tracker.unregister(0, 0, 100));
        assertTrue(tracker.unregister(0, 1, 101));
    }

    @Test
    void aFailedReadOfAnOlderAttemptLeavesTheNewerOutputRegistered() {
        MapOutputTracker tracker = new MapOutputTracker();
        tracker.registerShuffle(S0, 1);
        MapStatus first = status(0, 0, "e1", "h1", 7337); // attempt 100
        tracker.register(first);
        assertTrue(tracker.unregister(0, 0, first.attemptId()), "the reader's failure names the registered output");
        MapStatus rerun = MapStatus.of(0, 0, 104, new BlockLocation("e1", "h1", 7337), new long[] {1, 0});
        tracker.register(rerun);

        // A reader of the stale stage attempt reports the old output after the re-run registered its own.
        assertFalse(tracker.unregister(0, 0, first.attemptId()));
        // A reader that looked while no output was registered ("no location") says nothing about the new one.
        assertFalse(tracker.unregister(0, 0, FetchFailedException.UNKNOWN_ATTEMPT));
        assertEquals(List.of(), tracker.missing(S0));
        assertEquals(104, tracker.statuses(S0)[0].attemptId());
        assertTrue(tracker.unregister(0, 0, 104));
        assertEquals(List.of(0), tracker.missing(S0));
    }
}
