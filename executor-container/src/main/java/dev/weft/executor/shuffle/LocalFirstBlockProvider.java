package dev.weft.executor.shuffle;

import dev.weft.exec.ReduceBlocks;
import dev.weft.exec.ShuffleBlockProvider;
import dev.weft.shuffle.LocalShuffleBlock;
import dev.weft.shuffle.MapStatus;
import dev.weft.shuffle.ShuffleBlockSource;
import dev.weft.shuffle.ShuffleFiles;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Reads map output on this host straight from the shuffle files and fetches the rest through a
 * {@link RemoteBlockFetcher}.
 *
 * <p>A block is local when this executor wrote it, or when another executor wrote it on this host and its index and
 * data files are in this executor's shuffle directory: executors of one application on one node share the
 * application's local dirs (and the NodeManager's shuffle service serves those very files), while file names carry the
 * writing attempt, so a file found under the name a map status gives is that attempt's output. When the files are not
 * there (another NodeManager on the same host, as in a mini cluster, or a different first local dir) the block is
 * fetched as usual. Local blocks are read and verified on the reader's thread when opened, never through a socket.
 *
 * <p>{@link #blocks} starts the remote fetches of a whole reduce task at once through a {@link BlockFetchScheduler};
 * {@link #block} fetches one block when it is opened. Immutable and thread-safe.
 */
public final class LocalFirstBlockProvider implements ShuffleBlockProvider {
    private final String executorId;
    private final String host;
    private final ShuffleFiles files;
    private final RemoteBlockFetcher remote;
    private final ShuffleFetchConfig fetchConfig;

    /**
     * @param host this executor's host as its map statuses name it; null to treat only this executor's own output as
     *     local
     */
    public LocalFirstBlockProvider(
            String executorId,
            String host,
            ShuffleFiles files,
            RemoteBlockFetcher remote,
            ShuffleFetchConfig fetchConfig) {
        this.executorId = Objects.requireNonNull(executorId, "executorId is null");
        this.host = host;
        this.files = Objects.requireNonNull(files, "files is null");
        this.remote = Objects.requireNonNull(remote, "remote is null");
        this.fetchConfig = Objects.requireNonNull(fetchConfig, "fetchConfig is null");
    }

    @Override
    public ShuffleBlockSource block(MapStatus status, int reduceId) {
        return isLocal(status) ? local(status, reduceId) : new LazyRemoteBlockSource(remote, status, reduceId);
    }

    @Override
    public ReduceBlocks blocks(List<MapStatus> statuses, int reduceId, boolean anyOrder) {
        List<ShuffleBlockSource> locals = new ArrayList<>();
        List<RemoteBlock> remotes = new ArrayList<>();
        // Per given position: its local source, or null when the block is remote.
        ShuffleBlockSource[] localAt = new ShuffleBlockSource[statuses.size()];
        for (int i = 0; i < statuses.size(); i++) {
            MapStatus s = statuses.get(i);
            if (isLocal(s)) {
                localAt[i] = local(s, reduceId);
                locals.add(localAt[i]);
            } else {
                remotes.add(RemoteBlock.of(s, reduceId));
            }
        }
        if (remotes.isEmpty()) {
            return ReduceBlocks.of(locals);
        }
        BlockFetchScheduler scheduler = new BlockFetchScheduler(
                remotes,
                remote,
                fetchConfig,
                anyOrder ? BlockFetchScheduler.Order.BY_ARRIVAL : BlockFetchScheduler.Order.BY_POSITION);
        List<ShuffleBlockSource> sources = new ArrayList<>(statuses.size());
        if (anyOrder) {
            // Local blocks first: the reader works through them while the remote ones are on the wire.
            sources.addAll(locals);
            for (int i = 0; i < remotes.size(); i++) {
                sources.add(new NextArrivalSource(scheduler));
            }
        } else {
            int remotePosition = 0;
            for (ShuffleBlockSource local : localAt) {
                sources.add(local != null ? local : new ScheduledBlockSource(scheduler, remotePosition++));
            }
        }
        scheduler.start();
        return new FetchingBlocks(List.copyOf(sources), scheduler);
    }

    private boolean isLocal(MapStatus status) {
        if (status.location().executorId().equals(executorId)) {
            return true;
        }
        return host != null
                && host.equals(status.location().host())
                && Files.isRegularFile(files.indexFile(status.shuffleId(), status.mapId(), status.attemptId()))
                && Files.isRegularFile(files.dataFile(status.shuffleId(), status.mapId(), status.attemptId()));
    }

    private LocalShuffleBlock local(MapStatus status, int reduceId) {
        return new LocalShuffleBlock(
                files,
                status.shuffleId(),
                status.mapId(),
                status.attemptId(),
                reduceId,
                status.location().toString());
    }

    /** A reduce task's sources and the scheduler fetching their remote blocks, closed when the task ends. */
    record FetchingBlocks(List<ShuffleBlockSource> sources, BlockFetchScheduler scheduler) implements ReduceBlocks {
        @Override
        public void close() {
            scheduler.close();
        }
    }
}
