package dev.weft.hdfs.input;

import java.util.List;
import org.apache.hadoop.fs.FileSystem;

/**
 * Bytes this thread read through any Hadoop FileSystem so far, from Hadoop's per-thread statistics: what an
 * InputFormat's reader actually read (a Parquet reader skipping columns reads less than the file). A task reads its
 * split on one thread, so the difference before and after is the task's input bytes.
 */
final class ThreadBytesRead {
    private ThreadBytesRead() {}

    @SuppressWarnings("deprecation") // getAllStatistics: the per-scheme statistics with their per-thread parts
    static long now() {
        long total = 0;
        List<FileSystem.Statistics> all = FileSystem.getAllStatistics();
        for (FileSystem.Statistics s : all) {
            total += s.getThreadStatistics().getBytesRead();
        }
        return total;
    }
}
