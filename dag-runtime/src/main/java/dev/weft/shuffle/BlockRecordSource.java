package dev.weft.shuffle;

import dev.weft.metrics.TaskMetrics;
import java.io.IOException;
import java.io.InputStream;

/**
 * The records of one fetched {@link ShuffleBlockSource}, opened lazily on the first {@link #next()}.
 * Every {@link IOException} from opening or reading the block — including a checksum mismatch — becomes a
 * {@link FetchFailedException} naming the block's map id and location, which is what the scheduler needs
 * to regenerate that map output. Counts records and bytes read into the task's metrics.
 *
 * <p>Not thread-safe.
 */
final class BlockRecordSource extends RecordSource {
    private final ShuffleBlockSource block;
    private final int shuffleId;
    private final int reduceId;
    private final int bufferSize;
    private final TaskMetrics metrics;
    private StreamRecordSource records;
    private long countedBytes;
    private boolean closed;

    BlockRecordSource(ShuffleBlockSource block, int shuffleId, int reduceId, int bufferSize, TaskMetrics metrics) {
        this.block = block;
        this.shuffleId = shuffleId;
        this.reduceId = reduceId;
        this.bufferSize = bufferSize;
        this.metrics = metrics;
    }

    /** Opens the block now (verifying it), so that a bad block fails before any record is consumed. */
    void open() {
        if (records != null) {
            return;
        }
        InputStream in;
        long waitStart = System.nanoTime();
        try {
            in = block.open();
        } catch (IOException e) {
            throw fetchFailed("cannot open block: " + e.getMessage(), e);
        } finally {
            metrics.fetchWaitNanos += System.nanoTime() - waitStart;
        }
        records = new StreamRecordSource(in, -1, bufferSize);
    }

    @Override
    protected boolean advance() {
        if (closed) {
            return false;
        }
        open();
        try {
            boolean more = records.next();
            if (more) {
                metrics.shuffleRecordsRead++;
            }
            long newBytes = records.bytesRead() - countedBytes;
            metrics.shuffleBytesRead += newBytes;
            if (block.remote()) {
                metrics.shuffleBytesReadRemote += newBytes;
            }
            countedBytes = records.bytesRead();
            return more;
        } catch (IOException e) {
            throw fetchFailed("cannot read block: " + e.getMessage(), e);
        }
    }

    private FetchFailedException fetchFailed(String message, IOException cause) {
        return new FetchFailedException(
                shuffleId, block.mapId(), block.mapAttemptId(), reduceId, block.location(), message, cause);
    }

    @Override
    byte[] keyBuf() {
        return records.keyBuf();
    }

    @Override
    int keyOff() {
        return records.keyOff();
    }

    @Override
    int keyLen() {
        return records.keyLen();
    }

    @Override
    byte[] valueBuf() {
        return records.valueBuf();
    }

    @Override
    int valueOff() {
        return records.valueOff();
    }

    @Override
    int valueLen() {
        return records.valueLen();
    }

    @Override
    public void close() throws IOException {
        closed = true;
        if (records != null) {
            records.close();
        }
    }
}
