package dev.weft.executor.shuffle;

import dev.weft.shuffle.ShuffleBlockSource;
import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;

/**
 * The block at one position of a {@link BlockFetchScheduler.Order#BY_POSITION} scheduler: opening it waits until
 * that block has arrived (usually it already has) and throws its fetch failure if it had one. Opened once, on the
 * task's thread.
 */
final class ScheduledBlockSource implements ShuffleBlockSource {
    private final BlockFetchScheduler scheduler;
    private final int position;
    private final RemoteBlock block;

    ScheduledBlockSource(BlockFetchScheduler scheduler, int position) {
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler is null");
        this.position = position;
        this.block = scheduler.block(position);
    }

    @Override
    public int mapId() {
        return block.status().mapId();
    }

    @Override
    public long mapAttemptId() {
        return block.status().attemptId();
    }

    @Override
    public String location() {
        return block.status().location().toString();
    }

    /** Fetched from a shuffle service over the network, whichever host it is on. */
    @Override
    public boolean remote() {
        return true;
    }

    @Override
    public InputStream open() throws IOException {
        return scheduler.take(position);
    }
}
