package dev.weft.bench;

import dev.weft.exec.TaskContext;
import dev.weft.plan.Dependency;
import dev.weft.plan.IndexSplit;
import dev.weft.plan.Node;
import dev.weft.plan.Split;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;

/**
 * A source whose every split prefers three hosts, as an HDFS file's blocks with three replicas do, so that the
 * scheduler's delay scheduling and node-local bookkeeping are measured too. Its splits hold nothing (the
 * simulated cluster never computes them). Immutable.
 */
final class ReplicatedInputNode extends Node<Integer> {
    private final int numSplits;
    private final int numHosts;

    ReplicatedInputNode(int id, int numSplits, int numHosts) {
        super(id, "replicated input", null);
        if (numSplits < 1 || numHosts < 3) {
            throw new IllegalArgumentException(numSplits + " splits on " + numHosts + " hosts");
        }
        this.numSplits = numSplits;
        this.numHosts = numHosts;
    }

    @Override
    protected Split[] computeSplits() {
        Split[] out = new Split[numSplits];
        for (int i = 0; i < numSplits; i++) {
            out[i] = new IndexSplit(i);
        }
        return out;
    }

    @Override
    public List<String> preferredHosts(Split split) {
        int i = split.index();
        return List.of(host(i), host(i + 1), host(i + 2));
    }

    private String host(int i) {
        return "host-" + (i % numHosts);
    }

    @Override
    protected List<Dependency> lineage() {
        return List.of();
    }

    @Override
    protected Iterator<Integer> compute(Split split, TaskContext ctx) {
        return Collections.emptyIterator();
    }
}
