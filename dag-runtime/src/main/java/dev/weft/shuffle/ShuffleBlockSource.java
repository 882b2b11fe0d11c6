package dev.weft.shuffle;

import java.io.IOException;
import java.io.InputStream;

/**
 * One map output's block for one reduce partition, wherever it lives (a local file now, a remote shuffle
 * service later). The reader calls {@link #open()} at most once per merge pass and closes the stream.
 *
 * <p>Implementations must be safe to open from the task thread that owns them; they need not be
 * thread-safe otherwise.
 */
public interface ShuffleBlockSource {
    int mapId();

    /**
     * The map task attempt that wrote the block ({@code MapStatus.attemptId()}): a failure to read it lets the
     * scheduler tell the output it names from a newer one written since.
     */
    long mapAttemptId();

    /** Where the block lives, for error messages and for the scheduler to mark lost outputs. */
    String location();

    /**
     * The block's framed records. The bytes are verified against the checksum written with them before
     * any is returned; a mismatch throws {@link ShuffleCorruptionException}, naming shuffle, map and
     * reduce ids. A missing or unreadable block throws another {@link IOException}.
     */
    InputStream open() throws IOException;

    /** Whether the block comes over the network (a shuffle service or another executor) rather than a local file. */
    default boolean remote() {
        return false;
    }
}
