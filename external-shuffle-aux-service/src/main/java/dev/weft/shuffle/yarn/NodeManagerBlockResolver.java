package dev.weft.shuffle.yarn;

import static java.util.Objects.requireNonNull;

import dev.weft.shuffle.format.MapOutputIndexFormat;
import dev.weft.shuffle.format.PartitionIndex;
import dev.weft.shuffle.format.ShuffleFileNames;
import dev.weft.transport.BlockNotFoundException;
import dev.weft.transport.BlockResolver;
import dev.weft.transport.FileSegment;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.apache.hadoop.yarn.server.api.AuxiliaryLocalPathHandler;

/**
 * Finds map outputs that executors left in the NodeManager's local dirs. An executor of app {@code A} run by user
 * {@code U} writes to {@code <nm-local-dir>/usercache/U/appcache/A/}{@value ShuffleFileNames#DIR_UNDER_APP_LOCAL_DIR}
 * {@code /shuffle_<s>_<m>_<a>.{index,data}}; the NodeManager's {@link AuxiliaryLocalPathHandler} searches every good
 * local dir for that relative path.
 *
 * <p>The relative path is built only from a validated application id, the user the NodeManager registered for that
 * app, and non-negative numbers, so a client cannot name any other file. The located directory is cached per
 * (app, shuffle, map, attempt) and forgotten with {@link #forgetApp}; the index is read on every request (it is small
 * and in the page cache, and caching it would pin memory per partition).
 *
 * <p>Thread-safe: called concurrently from the block server's disk threads; blocking file I/O happens here, never on
 * an event loop or the NodeManager dispatcher.
 */
public final class NodeManagerBlockResolver implements BlockResolver {
    private record MapOutputKey(int shuffleId, int mapId, long attemptId) {}

    private final AppSecrets apps;
    private final Supplier<AuxiliaryLocalPathHandler> localPaths;
    private final Map<String, Map<MapOutputKey, Path>> indexFiles = new ConcurrentHashMap<>();

    /**
     * @param apps the registered apps (their users locate the files)
     * @param localPaths the NodeManager's path handler; a supplier because the NM sets it on the service after
     *     construction
     */
    public NodeManagerBlockResolver(AppSecrets apps, Supplier<AuxiliaryLocalPathHandler> localPaths) {
        this.apps = requireNonNull(apps, "apps is null");
        this.localPaths = requireNonNull(localPaths, "localPaths is null");
    }

    @Override
    public FileSegment resolve(String appId, int shuffleId, int mapId, long attemptId, int reduceId)
            throws IOException {
        if (!AppIds.isValid(appId)) {
            throw BlockNotFoundException.unknownApp("not an application id: " + appId);
        }
        if (shuffleId < 0 || mapId < 0 || attemptId < 0) {
            throw BlockNotFoundException.notFound(describe(appId, shuffleId, mapId, attemptId) + ": negative id");
        }
        if (reduceId < 0) {
            throw BlockNotFoundException.outOfRange(
                    describe(appId, shuffleId, mapId, attemptId) + ": reduce id " + reduceId);
        }
        String user = apps.user(appId);
        if (user == null) {
            throw BlockNotFoundException.unknownApp(
                    "application " + appId + " is not registered with this shuffle service");
        }
        MapOutputKey key = new MapOutputKey(shuffleId, mapId, attemptId);
        Path indexFile = locate(appId, user, key);
        PartitionIndex index;
        try {
            index = MapOutputIndexFormat.read(indexFile);
        } catch (NoSuchFileException e) {
            // Deleted since it was cached (attempt cleaned up); the next request searches the local dirs again.
            forget(appId, key);
            throw BlockNotFoundException.notFound(
                    describe(appId, shuffleId, mapId, attemptId) + ": index file vanished");
        }
        if (!index.contains(reduceId)) {
            throw BlockNotFoundException.outOfRange(describe(appId, shuffleId, mapId, attemptId) + ": reduce id "
                    + reduceId + " outside [0, " + index.numPartitions() + ")");
        }
        Path dataFile = indexFile.resolveSibling(ShuffleFileNames.dataFile(shuffleId, mapId, attemptId));
        return new FileSegment(dataFile, index.offset(reduceId), index.length(reduceId), index.checksum(reduceId));
    }

    /** Drops every cached path of the app; called when the app ends on this node. */
    public void forgetApp(String appId) {
        indexFiles.remove(appId);
    }

    /** How many map outputs of the app have a cached location (for tests and diagnostics). */
    public int cachedOutputs(String appId) {
        Map<MapOutputKey, Path> cached = indexFiles.get(appId);
        return cached == null ? 0 : cached.size();
    }

    private Path locate(String appId, String user, MapOutputKey key) throws IOException {
        Map<MapOutputKey, Path> cached = indexFiles.get(appId);
        Path known = cached == null ? null : cached.get(key);
        if (known != null) {
            return known;
        }
        String relative = "usercache/" + user + "/appcache/" + appId + "/" + ShuffleFileNames.DIR_UNDER_APP_LOCAL_DIR
                + "/" + ShuffleFileNames.indexFile(key.shuffleId(), key.mapId(), key.attemptId());
        AuxiliaryLocalPathHandler handler = localPaths.get();
        if (handler == null) {
            throw new IOException("the NodeManager gave the shuffle service no local path handler");
        }
        Path found;
        try {
            org.apache.hadoop.fs.Path local = handler.getLocalPathForRead(relative);
            if (local == null) {
                throw new IOException("no local path");
            }
            found = Paths.get(local.toUri().getPath());
        } catch (IOException e) {
            // LocalDirAllocator reports "not found in any local dir" as a DiskErrorException (an IOException).
            throw BlockNotFoundException.notFound(describe(appId, key.shuffleId(), key.mapId(), key.attemptId())
                    + ": no " + relative + " in the NodeManager's local dirs");
        }
        indexFiles.computeIfAbsent(appId, a -> new ConcurrentHashMap<>()).put(key, found);
        if (!apps.contains(appId)) {
            // The app ended while we searched: do not leave an entry that forgetApp already missed.
            forgetApp(appId);
        }
        return found;
    }

    private void forget(String appId, MapOutputKey key) {
        Map<MapOutputKey, Path> cached = indexFiles.get(appId);
        if (cached != null) {
            cached.remove(key);
        }
    }

    private static String describe(String appId, int shuffleId, int mapId, long attemptId) {
        return appId + " shuffle=" + shuffleId + " map=" + mapId + " attempt=" + attemptId;
    }
}
