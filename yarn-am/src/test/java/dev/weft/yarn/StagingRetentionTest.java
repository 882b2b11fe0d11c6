package dev.weft.yarn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.hadoop.yarn.api.records.FinalApplicationStatus;
import org.junit.jupiter.api.Test;

class StagingRetentionTest {
    @Test
    void theOnlyAttemptAlwaysRemovesTheDirectory() {
        StagingRetention only = new StagingRetention(1, 1);
        for (FinalApplicationStatus s : FinalApplicationStatus.values()) {
            assertTrue(only.removeBeforeUnregistering(s), s.toString());
        }
    }

    @Test
    void aFailedAttemptThatMayBeRetriedKeepsItAndTheLastOneRemovesIt() {
        assertFalse(new StagingRetention(1, 2).removeBeforeUnregistering(FinalApplicationStatus.FAILED));
        assertTrue(new StagingRetention(2, 2).removeBeforeUnregistering(FinalApplicationStatus.FAILED));
        assertTrue(new StagingRetention(1, 2).removeBeforeUnregistering(FinalApplicationStatus.SUCCEEDED));
        // the RM may cap attempts below what was asked: a later attempt number is still the last
        assertTrue(new StagingRetention(3, 2).removeBeforeUnregistering(FinalApplicationStatus.FAILED));
    }

    @Test
    void attemptsComeFromTheEnvironment() {
        assertEquals(1, StagingRetention.maxAttemptsFromEnv(null));
        assertEquals(1, StagingRetention.maxAttemptsFromEnv(" "));
        assertEquals(3, StagingRetention.maxAttemptsFromEnv("3"));
        IllegalStateException e =
                assertThrows(IllegalStateException.class, () -> StagingRetention.maxAttemptsFromEnv("two"));
        assertTrue(e.getMessage().contains(StagingRetention.MAX_ATTEMPTS_ENV), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new StagingRetention(0, 1));
    }
}
