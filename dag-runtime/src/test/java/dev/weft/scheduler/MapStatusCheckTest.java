package dev.weft.scheduler;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.serde.RecordOutput;
import dev.weft.serde.ValueSerializer;
import dev.weft.shuffle.BlockLocation;
import dev.weft.shuffle.MapStatus;
import org.junit.jupiter.api.Test;

/** A map task's report is believed only when it names the output the driver launched the attempt to write. */
class MapStatusCheckTest {
    private static final BlockLocation HERE = new BlockLocation("exec-1", "h1", 7447);
    private final TaskSet.ResultCheck check = DagScheduler.mapStatusCheck(3);

    private static byte[] bytes(Object value) {
        RecordOutput out = new RecordOutput(64);
        ValueSerializer.INSTANCE.write(value, out);
        return out.toByteArray();
    }

    @Test
    void theOutputOfTheLaunchedAttemptIsBelieved() {
        assertNull(check.check(5, 1234, "h1", bytes(MapStatus.of(3, 5, 1234, HERE, new long[] {1, 2}))));
    }

    @Test
    void anotherShuffleMapOrAttemptIsRefusedNamingBoth() {
        String shuffle = check.check(5, 1234, "h1", bytes(MapStatus.of(4, 5, 1234, HERE, new long[] {1})));
        assertTrue(shuffle != null && shuffle.contains("shuffle 4") && shuffle.contains("shuffle 3"), shuffle);
        String map = check.check(5, 1234, "h1", bytes(MapStatus.of(3, 6, 1234, HERE, new long[] {1})));
        assertTrue(map != null && map.contains("map 6"), map);
        String attempt = check.check(5, 1234, "h1", bytes(MapStatus.of(3, 5, 99, HERE, new long[] {1})));
        assertTrue(attempt != null && attempt.contains("attempt 99"), attempt);
    }

    @Test
    void aValueThatIsNoMapStatusIsRefused() {
        String wrong = check.check(5, 1234, "h1", bytes("not a map status"));
        assertTrue(wrong != null && wrong.contains("java.lang.String"), wrong);
    }
}
