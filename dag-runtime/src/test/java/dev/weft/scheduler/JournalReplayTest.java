package dev.weft.scheduler;

import static dev.weft.scheduler.JournalFileTest.lineage;
import static dev.weft.scheduler.JournalFileTest.statuses;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.shuffle.BlockLocation;
import dev.weft.shuffle.MapStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JournalReplayTest {
    private static final String LIVE = "application_1700000000000_0008";
    private static final String ENDED = "application_1700000000000_0009";

    private static JournalReplay replay(Map<ShuffleLineage, List<MapStatus>> shuffles) {
        return new JournalReplay(List.of(new JournalFile.Contents(shuffles, shuffles.size(), null)), LIVE::equals);
    }

    @Test
    void aMatchingShuffleComesBackUnderExecutorIdsNoNewExecutorCanHave() {
        List<MapStatus> recorded = statuses(0, 3, 2, LIVE);
        List<MapStatus> got = replay(Map.of(lineage(0, 3, 2), recorded))
                .lookup(lineage(0, 3, 2))
                .orElseThrow();
        assertEquals(3, got.size());
        for (int m = 0; m < 3; m++) {
            MapStatus s = got.get(m);
            assertEquals(recorded.get(m).attemptId(), s.attemptId());
            assertEquals(recorded.get(m).location().host(), s.location().host());
            assertEquals(LIVE, s.location().appId());
            assertEquals(
                    LIVE + "/" + recorded.get(m).location().executorId(),
                    s.location().executorId());
        }
    }

    @Test
    void aShuffleTheProgramBuiltDifferentlyIsComputedAfresh() {
        JournalReplay r = replay(Map.of(lineage(0, 3, 2), statuses(0, 3, 2, LIVE)));
        assertTrue(r.lookup(new ShuffleLineage(0, 3, 2, "another lineage", "Test.java:0"))
                .isEmpty());
        assertTrue(r.lookup(lineage(0, 4, 2)).isEmpty(), "more maps");
        assertTrue(r.lookup(lineage(1, 3, 2)).isEmpty(), "never journaled");
    }

    @Test
    void outputsOfAnEndedApplicationOrOfAnExecutorsOwnServerAreNotUsed() {
        List<MapStatus> partlyEnded = new ArrayList<>(statuses(0, 3, 2, LIVE));
        partlyEnded.set(1, statuses(0, 3, 2, ENDED).get(1));
        assertTrue(replay(Map.of(lineage(0, 3, 2), partlyEnded))
                .lookup(lineage(0, 3, 2))
                .isEmpty());

        List<MapStatus> selfServed = new ArrayList<>(statuses(0, 3, 2, LIVE));
        selfServed.set(2, selfServed.get(2).withLocation(new BlockLocation("1", "host0", -1)));
        assertTrue(replay(Map.of(lineage(0, 3, 2), selfServed))
                .lookup(lineage(0, 3, 2))
                .isEmpty());
    }

    @Test
    void aRecordThatDoesNotNameEveryMapOnceIsNotUsed() {
        List<MapStatus> twice = new ArrayList<>(statuses(0, 3, 2, LIVE));
        twice.set(2, twice.get(1));
        assertTrue(
                replay(Map.of(lineage(0, 3, 2), twice)).lookup(lineage(0, 3, 2)).isEmpty());
        assertTrue(replay(Map.of(lineage(0, 3, 2), statuses(0, 2, 2, LIVE)))
                .lookup(lineage(0, 3, 2))
                .isEmpty());
        assertTrue(replay(Map.of(lineage(0, 3, 2), statuses(0, 3, 5, LIVE)))
                .lookup(lineage(0, 3, 2))
                .isEmpty());
    }

    @Test
    void aLaterAttemptsRecordWins() {
        List<MapStatus> older = statuses(0, 2, 2, ENDED);
        List<MapStatus> newer = statuses(0, 2, 2, LIVE);
        JournalReplay r = new JournalReplay(
                List.of(
                        new JournalFile.Contents(Map.of(lineage(0, 2, 2), older), 1, null),
                        new JournalFile.Contents(Map.of(lineage(0, 2, 2), newer), 1, null)),
                LIVE::equals);
        assertEquals(
                LIVE, r.lookup(lineage(0, 2, 2)).orElseThrow().get(0).location().appId());
    }
}
