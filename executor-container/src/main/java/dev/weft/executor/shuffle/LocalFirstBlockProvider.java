package dev.weft.executor.shuffle;

import dev.weft.exec.ShuffleBlockProvider;
import dev.weft.shuffle.LocalShuffleBlock;
import dev.weft.shuffle.MapStatus;
import dev.weft.shuffle.ShuffleBlockSource;
import dev.weft.shuffle.ShuffleFiles;
import java.util.Objects;

/**
 * Reads this executor's own map output straight from its shuffle files and hands everything else to a
 * {@link RemoteBlockFetcher}. Ownership is decided by executor id, not host: two executors of one application
 * on the same node share the local dirs, but a later map attempt may have replaced a file, so only the
 * writer's id is trusted here. Immutable and thread-safe.
 */
public final class LocalFirstBlockProvider implements ShuffleBlockProvider {
    private final String executorId;
    private final ShuffleFiles files;
    private final RemoteBlockFetcher remote;

    public LocalFirstBlockProvider(String executorId, ShuffleFiles files, RemoteBlockFetcher remote) {
        this.executorId = Objects.requireNonNull(executorId, "executorId is null");
        this.files = Objects.requireNonNull(files, "files is null");
        this.remote = Objects.requireNonNull(remote, "remote is null");
    }

    @Override
    public ShuffleBlockSource block(MapStatus status, int reduceId) {
        if (status.location().executorId().equals(executorId)) {
            return new LocalShuffleBlock(
                    files,
                    status.shuffleId(),
                    status.mapId(),
                    status.attemptId(),
                    reduceId,
                    status.location().toString());
        }
        return remote.fetch(status, reduceId);
    }
}
