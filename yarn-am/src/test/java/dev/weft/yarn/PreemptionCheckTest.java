package dev.weft.yarn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class PreemptionCheckTest {
    @Test
    void warnsNamingTheSettingsWhenTheExecutorQueueCannotBePreempted() {
        String w = PreemptionCheck.warning("root.prod.executors", true).orElseThrow();
        assertTrue(w.contains("yarn.resourcemanager.scheduler.monitor.enable=true"), w);
        assertTrue(w.contains("disable_preemption"), w);
        assertTrue(w.contains("'root.prod.executors'"), w);
    }

    @Test
    void saysNothingWhenPreemptableOrWhenTheSchedulerDoesNotSay() {
        assertEquals(Optional.empty(), PreemptionCheck.warning("executors", false));
        assertEquals(Optional.empty(), PreemptionCheck.warning("executors", null));
    }
}
