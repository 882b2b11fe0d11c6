package dev.weft.hdfs.output;

import dev.weft.core.Pair;
import dev.weft.exec.TaskContext;
import dev.weft.hdfs.hadoop.Writables;
import dev.weft.io.CommitDeniedException;
import java.io.IOException;
import java.util.Iterator;

/** What both Hadoop output protocols do alike: write pairs as Writables, and commit a task only when allowed. */
final class PairRecords {
    /** A RecordWriter of either API. */
    @FunctionalInterface
    interface Sink {
        void write(Object key, Object value) throws IOException, InterruptedException;
    }

    /** A committer's commitTask of either API. */
    @FunctionalInterface
    interface Commit {
        void run() throws IOException;
    }

    private PairRecords() {}

    /** Writes every record, a Pair, converted by {@link Writables}. @return pairs written */
    static long writeAll(Iterator<?> records, Sink sink) throws IOException, InterruptedException {
        long n = 0;
        while (records.hasNext()) {
            Object r = records.next();
            if (!(r instanceof Pair<?, ?> p)) {
                throw new IllegalArgumentException("a Hadoop OutputFormat writes key-value pairs, not "
                        + (r == null ? "null" : r.getClass().getName()));
            }
            sink.write(Writables.toWritable(p.key()), Writables.toWritable(p.value()));
            n++;
        }
        return n;
    }

    /** Commits the task's output if the driver lets this attempt commit its partition; fails otherwise. */
    static void commitIfAllowed(TaskContext task, Commit commit) throws IOException {
        if (!task.env().commitAuthority().canCommit(task.stageId(), task.partitionId(), task.taskAttemptId())) {
            throw new CommitDeniedException("the driver let another attempt commit partition " + task.partitionId()
                    + " of stage " + task.stageId());
        }
        commit.run();
    }
}
