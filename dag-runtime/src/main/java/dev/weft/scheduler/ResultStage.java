package dev.weft.scheduler;

import dev.weft.plan.Node;
import java.util.ArrayList;
import java.util.List;

/** Applies a job's function to the final dataset's splits. */
final class ResultStage extends Stage {
    final ActiveJob job;

    ResultStage(int id, Node<?> node, List<Stage> parents, ActiveJob job) {
        super(id, node, parents, job.jobId);
        this.job = job;
    }

    @Override
    int numPartitions() {
        return job.partitions.length;
    }

    @Override
    List<Integer> missingPartitions() {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < job.partitions.length; i++) {
            if (!job.finished[i]) {
                out.add(job.partitions[i]);
            }
        }
        return out;
    }

    @Override
    boolean isShuffleMap() {
        return false;
    }
}
