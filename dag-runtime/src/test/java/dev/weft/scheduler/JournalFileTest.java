package dev.weft.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.shuffle.BlockLocation;
import dev.weft.shuffle.MapStatus;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class JournalFileTest {
    private static final String APP = "application_1700000000000_0007";
    private static final String EXECUTORS = "application_1700000000000_0008";

    static ShuffleLineage lineage(int shuffleId, int maps, int reduces) {
        return new ShuffleLineage(shuffleId, maps, reduces, "f" + shuffleId, "Test.java:" + shuffleId);
    }

    static List<MapStatus> statuses(int shuffleId, int maps, int reduces, String app) {
        return IntStream.range(0, maps)
                .mapToObj(m -> MapStatus.of(
                        shuffleId,
                        m,
                        100 + m,
                        new BlockLocation(String.valueOf(1 + m % 2), "host" + m % 3, 7447, app),
                        IntStream.range(0, reduces)
                                .mapToLong(r -> 10L * (m + r))
                                .toArray()))
                .toList();
    }

    private static byte[] journal(byte[]... records) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(JournalFile.header(APP));
        for (byte[] r : records) {
            out.write(r);
        }
        return out.toByteArray();
    }

    private static JournalFile.Contents read(byte[] bytes) throws IOException {
        return JournalFile.read(new ByteArrayInputStream(bytes), APP, "journal/attempt-1");
    }

    @Test
    void recordsComeBackInOrderWithEveryField() throws IOException {
        List<MapStatus> first = statuses(0, 4, 3, EXECUTORS);
        List<MapStatus> second = statuses(1, 3, 5, EXECUTORS);
        JournalFile.Contents c = read(journal(
                JournalFile.shuffleCompleted(lineage(0, 4, 3), first),
                JournalFile.shuffleCompleted(lineage(1, 3, 5), second)));

        assertNull(c.damage());
        assertEquals(2, c.records());
        assertEquals(
                List.of(lineage(0, 4, 3), lineage(1, 3, 5)),
                List.copyOf(c.shuffles().keySet()));
        assertEquals(first, c.shuffles().get(lineage(0, 4, 3)));
        assertEquals(second, c.shuffles().get(lineage(1, 3, 5)));
        for (int r = 0; r < 5; r++) {
            assertEquals(
                    second.get(2).estimatedLength(r),
                    c.shuffles().get(lineage(1, 3, 5)).get(2).estimatedLength(r));
        }
    }

    @Test
    void aTornLastRecordLosesThatRecordOnly() throws IOException {
        byte[] whole = journal(
                JournalFile.shuffleCompleted(lineage(0, 2, 2), statuses(0, 2, 2, EXECUTORS)),
                JournalFile.shuffleCompleted(lineage(1, 2, 2), statuses(1, 2, 2, EXECUTORS)));
        int firstEnds = JournalFile.header(APP).length
                + JournalFile.shuffleCompleted(lineage(0, 2, 2), statuses(0, 2, 2, EXECUTORS)).length;
        // Every cut inside the second record: its length, its checksum, its payload.
        for (int cut = firstEnds + 1; cut < whole.length; cut++) {
            JournalFile.Contents c = read(Arrays.copyOf(whole, cut));
            assertEquals(Map.of(lineage(0, 2, 2), statuses(0, 2, 2, EXECUTORS)), c.shuffles(), "cut at " + cut);
            assertTrue(c.damage() != null && c.damage().contains("after 1 whole records"), c.damage());
        }
        assertNull(read(Arrays.copyOf(whole, firstEnds)).damage(), "a cut between records is a clean end");
    }

    @Test
    void aFlippedByteIsCaughtByTheChecksum() throws IOException {
        byte[] bytes = journal(JournalFile.shuffleCompleted(lineage(0, 2, 2), statuses(0, 2, 2, EXECUTORS)));
        bytes[bytes.length - 5] ^= 0x10;
        JournalFile.Contents c = read(bytes);
        assertTrue(c.shuffles().isEmpty());
        assertTrue(c.damage().contains("checksum"), c.damage());
    }

    @Test
    void aJournalOfAnotherApplicationIsRefusedNamingBoth() throws IOException {
        byte[] other = JournalFile.header("application_1700000000000_0099");
        JournalFile.ForeignJournalException e =
                assertThrows(JournalFile.ForeignJournalException.class, () -> read(other));
        assertTrue(
                e.getMessage().contains("application_1700000000000_0099")
                        && e.getMessage().contains(APP),
                e.getMessage());
    }

    @Test
    void aFileThatIsNoJournalIsRefusedAndAnEmptyOneIsAFreshStart() throws IOException {
        JournalFile.ForeignJournalException e = assertThrows(
                JournalFile.ForeignJournalException.class, () -> read("PAR1 not a journal".getBytes("UTF-8")));
        assertTrue(e.getMessage().contains("journal/attempt-1"), e.getMessage());
        JournalFile.Contents empty = read(new byte[0]);
        assertTrue(empty.shuffles().isEmpty());
        assertTrue(empty.damage().contains("empty"), empty.damage());
    }

    @Test
    void aHugeLengthIsDamageNotAnAllocation() throws IOException {
        byte[] bytes = journal(new byte[] {0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0, 0, 0, 0});
        JournalFile.Contents c = read(bytes);
        assertTrue(c.damage().contains("record length"), c.damage());
    }

    @Test
    void outputsComeBackBegunThenCommitted() throws IOException {
        JournalFile.Contents c = read(journal(
                JournalFile.outputStarted("/out/a", "tokA", "fpA", 3),
                JournalFile.outputStarted("/out/b", "tokB", "fpB", 2),
                JournalFile.outputCommitted("/out/a", "tokA")));
        assertNull(c.damage());
        assertEquals(
                new JournalFile.Output("/out/a", "tokA", "fpA", 3, true),
                c.outputs().get("/out/a"));
        assertEquals(
                new JournalFile.Output("/out/b", "tokB", "fpB", 2, false),
                c.outputs().get("/out/b"));

        JournalReplay replay = new JournalReplay(List.of(c), app -> true);
        assertEquals(
                java.util.Optional.of(new DriverJournal.EarlierOutput("tokB", false)),
                replay.earlierOutput("/out/b", "fpB", 2));
        assertTrue(replay.earlierOutput("/out/b", "another lineage", 2).isEmpty());
        assertTrue(replay.earlierOutput("/out/b", "fpB", 3).isEmpty());
        assertTrue(replay.earlierOutput("/out/c", "fpB", 2).isEmpty());
    }

    @Test
    void aCommitOfAnOutputNeverBegunIsDamage() throws IOException {
        JournalFile.Contents c = read(journal(
                JournalFile.outputStarted("/out/a", "tokA", "fpA", 3), JournalFile.outputCommitted("/out/a", "tokX")));
        assertEquals(
                new JournalFile.Output("/out/a", "tokA", "fpA", 3, false),
                c.outputs().get("/out/a"));
        assertTrue(c.damage().contains("never began"), c.damage());
    }

    @Test
    void accumulatorUpdatesComeBackPerMapWithTheirShuffle() throws IOException {
        List<Map<Long, Object>> updates = List.of(Map.of(0L, 7L, 1L, List.of("a", "b")), Map.of(), Map.of(0L, 5L));
        JournalFile.Contents c =
                read(journal(JournalFile.shuffleCompleted(lineage(0, 3, 2), statuses(0, 3, 2, EXECUTORS), updates)));
        assertNull(c.damage());
        assertEquals(updates, c.accumulatorUpdates().get(lineage(0, 3, 2)));
        JournalReplay replay = new JournalReplay(List.of(c), EXECUTORS::equals);
        assertEquals(updates, replay.accumulatorUpdates(lineage(0, 3, 2)));
        assertEquals(List.of(), replay.accumulatorUpdates(lineage(1, 3, 2)));
    }
}
