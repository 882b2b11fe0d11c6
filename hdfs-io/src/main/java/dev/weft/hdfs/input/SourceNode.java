package dev.weft.hdfs.input;

import dev.weft.plan.Dependency;
import dev.weft.plan.Node;
import dev.weft.plan.Split;
import java.util.List;

/**
 * A node that reads files: no parents, splits that know their bytes and hosts. Its source bytes (the job's input size,
 * for the UI and job shape) are its splits' lengths.
 */
abstract class SourceNode<T> extends Node<T> {
    /** A split of a file source: its bytes and the hosts holding them. */
    interface SizedSplit extends Split {
        long length();

        List<String> hosts();
    }

    SourceNode(int id, String callSite) {
        super(id, callSite, null);
    }

    @Override
    protected final List<Dependency> lineage() {
        return List.of();
    }

    @Override
    public final long sourceBytes() {
        if (checkpoint() != null) {
            return -1;
        }
        long total = 0;
        for (Split s : splits()) {
            total += ((SizedSplit) s).length();
        }
        return total;
    }

    @Override
    public final List<String> preferredHosts(Split split) {
        return ((SizedSplit) split).hosts();
    }
}
