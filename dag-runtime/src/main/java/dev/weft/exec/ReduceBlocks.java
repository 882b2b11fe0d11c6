package dev.weft.exec;

import dev.weft.shuffle.ShuffleBlockSource;
import java.util.List;
import java.util.Objects;

/**
 * The blocks one reduce task attempt reads from one shuffle, as a {@link ShuffleBlockProvider} hands them out, and
 * whatever the provider started to produce them (fetches in flight, fetched bytes not yet read).
 *
 * <p>Lifecycle: the task's thread reads {@link #sources()} (through the shuffle reader) and registers the whole with
 * {@link TaskContext#onCompletion}, so {@link #close()} runs when the task ends in any way. After close, sources not
 * yet opened fail to open; streams already opened stay readable. Close is idempotent and may be called from any
 * thread.
 */
public interface ReduceBlocks extends AutoCloseable {
    /** The sources to read, in the order the reader should use; read by the task's thread. */
    List<ShuffleBlockSource> sources();

    /** Stops producing blocks and drops every block not yet opened. Never throws. */
    @Override
    void close();

    /** Sources that hold nothing until opened, so closing has nothing to release. */
    static ReduceBlocks of(List<? extends ShuffleBlockSource> sources) {
        List<ShuffleBlockSource> copy = List.copyOf(Objects.requireNonNull(sources, "sources is null"));
        return new ReduceBlocks() {
            @Override
            public List<ShuffleBlockSource> sources() {
                return copy;
            }

            @Override
            public void close() {}
        };
    }
}
