package dev.weft.executor.shuffle;

import dev.weft.shuffle.FetchFailedException;
import dev.weft.shuffle.ShuffleBlockSource;
import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;

/**
 * One of the blocks of a {@link BlockFetchScheduler.Order#BY_ARRIVAL} scheduler, not chosen in advance: opening it
 * takes whichever block arrives next, and from then on {@link #mapId()}, {@link #mapAttemptId()} and
 * {@link #location()} name that block, so that a failure to fetch or read it names the right map output. Before it is
 * opened it names no map output ({@link FetchFailedException#UNKNOWN_ATTEMPT}). Opened once, on the task's thread.
 */
final class NextArrivalSource implements ShuffleBlockSource {
    private final BlockFetchScheduler scheduler;
    private RemoteBlock block;

    NextArrivalSource(BlockFetchScheduler scheduler) {
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler is null");
    }

    @Override
    public int mapId() {
        return block == null ? -1 : block.status().mapId();
    }

    @Override
    public long mapAttemptId() {
        return block == null
                ? FetchFailedException.UNKNOWN_ATTEMPT
                : block.status().attemptId();
    }

    @Override
    public String location() {
        return block == null
                ? "the next block to arrive"
                : block.status().location().toString();
    }

    /** Fetched from a shuffle service over the network, whichever host it is on. */
    @Override
    public boolean remote() {
        return true;
    }

    @Override
    public InputStream open() throws IOException {
        if (block != null) {
            throw new IllegalStateException("already opened: " + block.status().location());
        }
        BlockFetchScheduler.Taken taken = scheduler.takeNextArrival();
        block = scheduler.block(taken.position());
        return taken.streamOrThrow();
    }
}
