package dev.weft.metrics;

import java.io.Serializable;

/**
 * Counters of one task attempt, sent back to the driver with the task's result and summed per stage and
 * job. Not thread-safe: updated only by the task's own thread.
 */
public final class TaskMetrics implements Serializable {
    public long inputRecords;
    /** Bytes read from input files (a text split's bytes, line ends included). */
    public long inputBytes;

    public long outputRecords;
    /** Bytes written to output files (text output: encoded lines, line ends included). */
    public long outputBytes;

    public long shuffleRecordsWritten;
    public long shuffleBytesWritten;
    public long shuffleRecordsRead;
    public long shuffleBytesRead;
    /** Of {@link #shuffleBytesRead}, the bytes fetched over the network (the rest was read from local files). */
    public long shuffleBytesReadRemote;
    /** Time the task waited for shuffle blocks to arrive (opening a block that is still being fetched). */
    public long fetchWaitNanos;

    public long spillCount;
    public long spillBytes;
    public long peakMemoryBytes;
    public long runNanos;
    /**
     * Garbage-collection time of the executor's JVM while the attempt ran: the JVM-wide figure, so attempts running
     * at the same time each see the same pauses (the figure tells a task that was slowed by GC, not who caused it).
     */
    public long gcMillis;

    public void add(TaskMetrics o) {
        inputRecords += o.inputRecords;
        inputBytes += o.inputBytes;
        outputRecords += o.outputRecords;
        outputBytes += o.outputBytes;
        shuffleRecordsWritten += o.shuffleRecordsWritten;
        shuffleBytesWritten += o.shuffleBytesWritten;
        shuffleRecordsRead += o.shuffleRecordsRead;
        shuffleBytesRead += o.shuffleBytesRead;
        shuffleBytesReadRemote += o.shuffleBytesReadRemote;
        fetchWaitNanos += o.fetchWaitNanos;
        spillCount += o.spillCount;
        spillBytes += o.spillBytes;
        peakMemoryBytes = Math.max(peakMemoryBytes, o.peakMemoryBytes);
        runNanos += o.runNanos;
        gcMillis += o.gcMillis;
    }

    public TaskMetrics copy() {
        TaskMetrics c = new TaskMetrics();
        c.add(this);
        return c;
    }

    @Override
    public String toString() {
        return "TaskMetrics{in=" + inputRecords + " rec/" + inputBytes + " B, out=" + outputRecords + " rec/"
                + outputBytes + " B, shuffleWrite=" + shuffleRecordsWritten
                + " rec/" + shuffleBytesWritten + " B, shuffleRead=" + shuffleRecordsRead + " rec/" + shuffleBytesRead
                + " B (" + shuffleBytesReadRemote + " B remote, waited " + fetchWaitNanos / 1_000_000 + " ms), spills="
                + spillCount + "/" + spillBytes + " B, peakMem=" + peakMemoryBytes + ", gc=" + gcMillis + " ms}";
    }
}
