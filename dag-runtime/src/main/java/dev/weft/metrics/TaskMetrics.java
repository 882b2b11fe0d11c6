package dev.weft.metrics;

import java.io.Serializable;

/**
 * Counters of one task attempt, sent back to the driver with the task's result and summed per stage and
 * job. Not thread-safe: updated only by the task's own thread.
 */
public final class TaskMetrics implements Serializable {
    public long inputRecords;
    public long outputRecords;
    public long shuffleRecordsWritten;
    public long shuffleBytesWritten;
    public long shuffleRecordsRead;
    public long shuffleBytesRead;
    public long spillCount;
    public long spillBytes;
    public long peakMemoryBytes;
    public long runNanos;

    public void add(TaskMetrics o) {
        inputRecords += o.inputRecords;
        outputRecords += o.outputRecords;
        shuffleRecordsWritten += o.shuffleRecordsWritten;
        shuffleBytesWritten += o.shuffleBytesWritten;
        shuffleRecordsRead += o.shuffleRecordsRead;
        shuffleBytesRead += o.shuffleBytesRead;
        spillCount += o.spillCount;
        spillBytes += o.spillBytes;
        peakMemoryBytes = Math.max(peakMemoryBytes, o.peakMemoryBytes);
        runNanos += o.runNanos;
    }

    public TaskMetrics copy() {
        TaskMetrics c = new TaskMetrics();
        c.add(this);
        return c;
    }

    @Override
    public String toString() {
        return "TaskMetrics{in=" + inputRecords + ", out=" + outputRecords + ", shuffleWrite=" + shuffleRecordsWritten
                + " rec/" + shuffleBytesWritten + " B, shuffleRead=" + shuffleRecordsRead + " rec/" + shuffleBytesRead
                + " B, spills=" + spillCount + "/" + spillBytes + " B, peakMem=" + peakMemoryBytes + "}";
    }
}
