package dev.weft.plan;

import dev.weft.exec.ExecutorEnv;
import dev.weft.exec.ReduceBlocks;
import dev.weft.exec.TaskContext;
import dev.weft.id.ShuffleId;
import dev.weft.shuffle.FetchFailedException;
import dev.weft.shuffle.KeyOrdering;
import dev.weft.shuffle.MapStatus;
import dev.weft.shuffle.RecordStream;
import dev.weft.shuffle.ShuffleReader;
import java.util.ArrayList;
import java.util.List;

/** Opens the reduce side of a shuffle for one task: finds the map outputs and starts the reader. */
final class ShuffleInputs {
    private ShuffleInputs() {}

    static RecordStream open(ShuffleDependency dep, int reduceId, TaskContext ctx) {
        ExecutorEnv env = ctx.env();
        int shuffleId = dep.shuffleId();
        MapStatus[] statuses = env.mapOutputs().statuses(new ShuffleId(shuffleId));
        List<MapStatus> nonEmpty = new ArrayList<>(statuses.length);
        for (int m = 0; m < statuses.length; m++) {
            MapStatus s = statuses[m];
            if (s == null) {
                throw new FetchFailedException(
                        shuffleId,
                        m,
                        FetchFailedException.UNKNOWN_ATTEMPT,
                        reduceId,
                        "unknown",
                        "no location for map output",
                        null);
            }
            if (!s.isEmpty(reduceId)) {
                nonEmpty.add(s);
            }
        }
        // Only a concatenation may read blocks in arrival order; a merge needs them in map order.
        boolean anyOrder = dep.spec().ordering() == KeyOrdering.NONE;
        ReduceBlocks blocks = env.blockProvider().blocks(nonEmpty, reduceId, anyOrder);
        // Registered first so that it is closed last, after the stream that reads from it.
        ctx.onCompletion(blocks);
        RecordStream stream =
                ShuffleReader.read(dep.spec(), reduceId, blocks.sources(), ctx.memory(), ctx.metrics(), env.tmpDir());
        ctx.onCompletion(stream);
        return stream;
    }
}
