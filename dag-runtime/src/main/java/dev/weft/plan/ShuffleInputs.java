package dev.weft.plan;

import dev.weft.exec.ExecutorEnv;
import dev.weft.exec.TaskContext;
import dev.weft.id.ShuffleId;
import dev.weft.shuffle.FetchFailedException;
import dev.weft.shuffle.MapStatus;
import dev.weft.shuffle.RecordStream;
import dev.weft.shuffle.ShuffleBlockSource;
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
        List<ShuffleBlockSource> blocks = new ArrayList<>(statuses.length);
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
                blocks.add(env.blockProvider().block(s, reduceId));
            }
        }
        RecordStream stream =
                ShuffleReader.read(dep.spec(), reduceId, blocks, ctx.memory(), ctx.metrics(), env.tmpDir());
        ctx.onCompletion(stream);
        return stream;
    }
}
