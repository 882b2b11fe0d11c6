package dev.weft.api;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.conf.WeftConf;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Bad input fails early with a message naming the cause (text input: hdfs-io's TextFilesTest). */
class ClosuresAndInputsTest {
    static WeftContext ctx;

    @BeforeAll
    static void start() {
        ctx = new WeftContext(WeftConf.defaults().with("weft.local.threads", "2"));
    }

    @AfterAll
    static void stop() {
        ctx.close();
    }

    /** Deliberately not Serializable. */
    static final class Unshippable {
        int factor = 3;
    }

    @Test
    void aClosureCapturingANonSerializableObjectFailsAtTheCallSite() {
        Unshippable u = new Unshippable();
        Dataset<Integer> ds = ctx.parallelize(List.of(1, 2, 3), 2);
        RecordingListener events = new RecordingListener();
        ctx.addListener(events);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ds.map(x -> x * u.factor));
        ctx.removeListener(events);
        assertTrue(e.getMessage().contains(Unshippable.class.getName()), e.getMessage());
        assertTrue(e.getMessage().contains("map at ClosuresAndInputsTest.java"), e.getMessage());
        assertTrue(events.tasks(t -> true).isEmpty(), "no task ran");
    }
}
