package dev.weft.executor.shuffle;

import dev.weft.exec.ShuffleBlockProvider;
import dev.weft.shuffle.ShuffleFiles;

/**
 * Creates the executor's {@link ShuffleBlockProvider} once at start-up. Pluggable so the network transport
 * (another module) can be installed without this module depending on it: pass an implementation to
 * {@code ExecutorBackend}, or name a class with a public no-argument constructor in the executor's
 * {@code --shuffle-block-provider-factory} argument.
 */
public interface ShuffleBlockProviderFactory {
    /** Local files for this executor's own output; every other block fails with "no block transport configured". */
    ShuffleBlockProviderFactory DEFAULT = (executorId, files) -> new LocalFirstBlockProvider(
            executorId, null, files, RemoteBlockFetcher.UNCONFIGURED, ShuffleFetchConfig.defaults());

    /**
     * @param executorId this executor
     * @param files      where this executor writes its map output
     */
    ShuffleBlockProvider create(String executorId, ShuffleFiles files);
}
