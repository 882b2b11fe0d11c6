package dev.weft.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.weft.conf.WeftConf;
import dev.weft.core.Pair;
import dev.weft.plan.ShuffledNode;
import dev.weft.scheduler.ShuffleLineage;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * A restarted driver recognises a shuffle by its lineage: the same program builds the same lineage in a fresh context
 * (as a new driver attempt does), and a program that builds anything else at that point does not match.
 */
class ShuffleLineageTest {
    private static final List<Integer> DATA = IntStream.range(0, 100).boxed().toList();

    /** One program, built in whichever context it is given; {@code reduces} varies the lineage. */
    private static ShuffleLineage program(WeftContext ctx, int reduces) {
        PairDataset<Integer, Long> counts =
                ctx.parallelize(DATA, 4).mapToPair(i -> Pair.of(i % 7, 1L)).reduceByKey(Long::sum, reduces);
        return ShuffleLineage.of(((ShuffledNode<?, ?>) (Object) counts.node()).shuffleDependency());
    }

    private static ShuffleLineage inFreshContext(int reduces) {
        try (WeftContext ctx = new WeftContext(WeftConf.defaults().with("weft.local.threads", "1"))) {
            return program(ctx, reduces);
        }
    }

    @Test
    void theSameProgramInAFreshContextBuildsTheSameLineage() {
        ShuffleLineage first = inFreshContext(3);
        ShuffleLineage second = inFreshContext(3);
        assertEquals(first, second);
        assertEquals(0, first.shuffleId());
        assertEquals(4, first.numMaps());
        assertEquals(3, first.numReduces());
    }

    @Test
    void anotherPartitioningOrCallSiteIsAnotherLineage() {
        ShuffleLineage base = inFreshContext(3);
        assertNotEquals(base, inFreshContext(5), "reduce partitions differ");
        ShuffleLineage elsewhere;
        try (WeftContext ctx = new WeftContext(WeftConf.defaults().with("weft.local.threads", "1"))) {
            // The same operations, written on another line: another call site.
            elsewhere = ShuffleLineage.of(((ShuffledNode<?, ?>) (Object) ctx.parallelize(DATA, 4)
                            .mapToPair(i -> Pair.of(i % 7, 1L))
                            .reduceByKey(Long::sum, 3)
                            .node())
                    .shuffleDependency());
        }
        assertEquals(base.shuffleId(), elsewhere.shuffleId());
        assertNotEquals(base.fingerprint(), elsewhere.fingerprint());
    }
}
