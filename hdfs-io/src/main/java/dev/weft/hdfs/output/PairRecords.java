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

    /** One task's writer and committer, of either API. */
    interface TaskSteps {
        /** Opens the RecordWriter (under the attempt's work path). */
        Sink openWriter() throws IOException, InterruptedException;

        void closeWriter() throws IOException, InterruptedException;

        boolean needsTaskCommit() throws IOException;

        void commitTask() throws IOException;

        void abortTask() throws IOException;
    }

    /**
     * MapReduce's task side of the commit protocol: writes every pair, closes the writer, commits if the committer
     * needs it and the driver allows this attempt, and aborts the attempt's output on any failure (a denied commit
     * included). @return pairs written
     */
    static long writeAndCommit(Iterator<?> records, TaskContext task, TaskSteps steps) throws IOException {
        try {
            long n;
            Sink sink = steps.openWriter();
            try {
                n = writeAll(records, sink);
            } finally {
                steps.closeWriter();
            }
            task.metrics().outputRecords += n;
            if (steps.needsTaskCommit()) {
                commitIfAllowed(task, steps::commitTask);
            }
            return n;
        } catch (IOException | RuntimeException | InterruptedException e) {
            try {
                steps.abortTask();
            } catch (IOException abort) {
                e.addSuppressed(abort);
            }
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while writing partition " + task.partitionId(), e);
            }
            if (e instanceof IOException io) {
                throw io;
            }
            throw (RuntimeException) e;
        }
    }

    private PairRecords() {}

    /** Writes every record, a Pair, converted by {@link Writables}. @return pairs written */
    private static long writeAll(Iterator<?> records, Sink sink) throws IOException, InterruptedException {
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
    private static void commitIfAllowed(TaskContext task, Commit commit) throws IOException {
        if (!task.env().commitAuthority().canCommit(task.stageId(), task.partitionId(), task.taskAttemptId())) {
            throw new CommitDeniedException("the driver let another attempt commit partition " + task.partitionId()
                    + " of stage " + task.stageId());
        }
        commit.run();
    }
}
