package dev.weft.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.weft.conf.WeftConf;
import dev.weft.events.TaskLocality;
import org.junit.jupiter.api.Test;

class LocalityWaitsTest {
    @Test
    void perLevelKeysOverrideTheGeneralWait() {
        assertEquals(new LocalityWaits(3_000, 3_000, 3_000), LocalityWaits.from(WeftConf.defaults()));
        LocalityWaits w = LocalityWaits.from(
                WeftConf.defaults().with("weft.locality.wait", "1s").with("weft.locality.wait.node", "0"));
        assertEquals(new LocalityWaits(1_000, 0, 1_000), w);
        assertEquals(1_000_000_000L, w.nanos(TaskLocality.PROCESS_LOCAL));
        assertEquals(0L, w.nanos(TaskLocality.NO_PREF));
        assertEquals(0L, w.nanos(TaskLocality.ANY));
    }
}
