package dev.weft.scheduler;

import dev.weft.exec.TaskContext;
import dev.weft.plan.Dependency;
import dev.weft.plan.Node;
import dev.weft.plan.Split;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;

/** Test input: the lines of each file of a local directory, one split per file; its source bytes are the files'. */
final class FilePerSplitNode extends Node<String> {
    private final String dir;

    FilePerSplitNode(int id, String callSite, String dir) {
        super(id, callSite, null);
        this.dir = dir;
    }

    record FileSplit(int index, String file, long length) implements Split {}

    @Override
    protected Split[] computeSplits() {
        try (Stream<Path> files = Files.list(Path.of(dir))) {
            List<Path> sorted = files.sorted().toList();
            Split[] out = new Split[sorted.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = new FileSplit(i, sorted.get(i).toString(), Files.size(sorted.get(i)));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    protected List<Dependency> lineage() {
        return List.of();
    }

    @Override
    public long sourceBytes() {
        long total = 0;
        for (Split s : splits()) {
            total += ((FileSplit) s).length();
        }
        return total;
    }

    @Override
    protected Iterator<String> compute(Split split, TaskContext ctx) throws IOException {
        return Files.readAllLines(Path.of(((FileSplit) split).file())).iterator();
    }
}
