package dev.weft.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.weft.api.Dataset;
import dev.weft.api.PairDataset;
import dev.weft.api.WeftContext;
import dev.weft.core.Pair;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JobShapeTest {
    @TempDir
    Path dir;

    @Test
    void countsEveryStagesTasksAndTheInputFilesBytes() throws Exception {
        byte[] a = "a b\nc d\n".getBytes(StandardCharsets.UTF_8);
        byte[] b = "e f g\n".getBytes(StandardCharsets.UTF_8);
        Files.write(dir.resolve("part-0"), a);
        Files.write(dir.resolve("part-1"), b);
        try (WeftContext ctx = WeftContext.local()) {
            Dataset<String> lines = ctx.read((id, site, conf) -> new FilePerSplitNode(id, site, dir.toString()));
            int maps = lines.node().numPartitions();
            PairDataset<String, Integer> counts = lines.flatMap(
                            l -> List.of(l.split(" ")).iterator())
                    .mapToPair(w -> Pair.of(w, 1))
                    .reduceByKey(Integer::sum, 3);
            // Two shuffles over the same text: the words' reduceByKey, and a join with a parallelized side.
            PairDataset<String, Integer> side = ctx.parallelizePairs(List.of(Pair.of("a", 1)), 2);
            PairDataset<String, Pair<Integer, Integer>> joined = counts.join(side, 4);

            JobShape one = JobShape.of(7, counts.node(), 3);
            assertEquals(new JobShape(7, 2, maps + 3, a.length + b.length), one);

            JobShape two = JobShape.of(8, joined.node(), 4);
            // stages: the words' map stage, the join's two map sides (the counts and the parallelized pairs), result
            assertEquals(new JobShape(8, 4, maps + 3 + 2 + 4, a.length + b.length), two);
        }
    }

    @Test
    void refusesImpossibleShapes() {
        assertThrows(IllegalArgumentException.class, () -> new JobShape(0, 0, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> new JobShape(0, 1, -1, 0));
        assertThrows(IllegalArgumentException.class, () -> new JobShape(0, 1, 1, -2));
    }
}
