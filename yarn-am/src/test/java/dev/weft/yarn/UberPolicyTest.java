package dev.weft.yarn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.conf.WeftConf;
import dev.weft.scheduler.JobShape;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UberPolicyTest {
    private final UberPolicy policy = new UberPolicy(true, 8, 4L << 20);

    @Test
    void aJobWithinBothLimitsRunsInsideTheDriver() {
        assertNull(policy.refusal(new JobShape(0, 2, 8, 4L << 20)), "the limits are inclusive");
        assertNull(policy.refusal(new JobShape(0, 1, 1, 0)), "a parallelized collection reads no file");
    }

    @Test
    void anyLimitExceededOrAnUnknownInputSendsTheJobToContainersAndSaysWhy() {
        String tasks = policy.refusal(new JobShape(3, 2, 9, 10));
        assertEquals("9 tasks in 2 stages > weft.yarn.uber.max-tasks (8)", tasks);
        String bytes = policy.refusal(new JobShape(3, 2, 5, (4L << 20) + 1));
        assertTrue(bytes.startsWith("4194305 input bytes > weft.yarn.uber.max-input"), bytes);
        assertEquals("the size of its input is not known", policy.refusal(new JobShape(3, 1, 1, -1)));
        assertEquals(
                "weft.yarn.uber.enabled is false", new UberPolicy(false, 8, 1 << 20).refusal(new JobShape(0, 1, 1, 0)));
    }

    @Test
    void readsItsKeysWithConservativeDefaults() {
        UberPolicy defaults = UberPolicy.from(WeftConf.of(Map.of()));
        assertEquals(new UberPolicy(true, 8, 4L << 20), defaults);
        UberPolicy off = UberPolicy.from(WeftConf.of(Map.of("weft.yarn.uber.enabled", "FALSE")));
        assertEquals(false, off.enabled());
        assertThrows(
                IllegalArgumentException.class,
                () -> UberPolicy.from(WeftConf.of(Map.of("weft.yarn.uber.enabled", "yes"))));
    }
}
