package dev.weft.shuffle.yarn;

import static java.util.Objects.requireNonNull;

import dev.weft.shuffle.format.MapOutputIndexFormat;
import dev.weft.shuffle.format.PartitionIndex;
import dev.weft.shuffle.format.ShuffleFileNames;
import dev.weft.transport.BlockNotFoundException;
import dev.weft.transport.BlockResolver;
import dev.weft.transport.ResolvedMapOutput;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.apache.hadoop.security.UserGroupInformation;
import org.apache.hadoop.yarn.server.api.AuxiliaryLocalPathHandler;

/**
 * Finds map outputs that executors left in the NodeManager's local dirs. An executor of app {@code A} run by user
 * {@code U} writes to {@code <nm-local-dir>/usercache/U/appcache/A/}{@value ShuffleFileNames#DIR_UNDER_APP_LOCAL_DIR}
 * {@code /shuffle_<s>_<m>_<a>.{index,data}}; the NodeManager's {@link AuxiliaryLocalPathHandler} searches every good
 * local dir for that relative path.
 *
 * <p>The relative path is built only from a validated application id, the user the NodeManager registered for that
 * app, and non-negative numbers, so a client cannot name any other file. The application's user owns the
 * directories below {@code appcache/A} and may have put links or other files there: both the index and the data file
 * are opened through {@link TenantFiles}, which refuses anything but the application's own regular files. The located
 * file is cached per (app, shuffle, map, attempt) and forgotten with {@link #forgetApp}; the index is read once per
 * request (it is small and in the page cache, and caching it would pin memory per partition).
 *
 * <p>Thread-safe: called concurrently from the block server's disk threads; blocking file I/O happens here, never on
 * an event loop or the NodeManager dispatcher.
 */
public final class NodeManagerBlockResolver implements BlockResolver {
    private record MapOutputKey(int shuffleId, int mapId, long attemptId) {}

    /** An index file found in a local dir, and the application's shuffle directory there with links resolved. */
    private record Located(Path indexFile, Path expectedDir) {}

    private final AppSecrets apps;
    private final Supplier<AuxiliaryLocalPathHandler> localPaths;
    private final TenantFiles files;
    private final Map<String, Map<MapOutputKey, Located>> indexFiles = new ConcurrentHashMap<>();

    /**
     * @param apps the registered apps (their users locate the files)
     * @param localPaths the NodeManager's path handler; a supplier because the NM sets it on the service after
     *     construction
     */
    public NodeManagerBlockResolver(AppSecrets apps, Supplier<AuxiliaryLocalPathHandler> localPaths) {
        this(apps, localPaths, serviceUser());
    }

    /** @param serviceUser the NodeManager's user: files it owns are accepted as well as the application user's */
    NodeManagerBlockResolver(AppSecrets apps, Supplier<AuxiliaryLocalPathHandler> localPaths, String serviceUser) {
        this.apps = requireNonNull(apps, "apps is null");
        this.localPaths = requireNonNull(localPaths, "localPaths is null");
        this.files = new TenantFiles(serviceUser);
    }

    private static String serviceUser() {
        try {
            return UserGroupInformation.getCurrentUser().getShortUserName();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot tell the NodeManager's user", e);
        }
    }

    @Override
    public ResolvedMapOutput resolve(String appId, int shuffleId, int mapId, long attemptId) throws IOException {
        if (!AppIds.isValid(appId)) {
            throw BlockNotFoundException.unknownApp("not an application id: " + appId);
        }
        if (shuffleId < 0 || mapId < 0 || attemptId < 0) {
            throw BlockNotFoundException.notFound(describe(appId, shuffleId, mapId, attemptId) + ": negative id");
        }
        String user = apps.user(appId);
        if (user == null) {
            throw BlockNotFoundException.unknownApp(
                    "application " + appId + " is not registered with this shuffle service");
        }
        MapOutputKey key = new MapOutputKey(shuffleId, mapId, attemptId);
        String what = describe(appId, shuffleId, mapId, attemptId);
        Located located = locate(appId, user, key);
        PartitionIndex index;
        try {
            index = MapOutputIndexFormat.decode(
                    files.readIndex(located.indexFile(), located.expectedDir(), user, what),
                    located.indexFile().toString());
        } catch (BlockNotFoundException e) {
            // Deleted since it was cached (attempt cleaned up); the next request searches the local dirs again.
            forget(appId, key);
            throw BlockNotFoundException.notFound(what + ": index file vanished");
        }
        long[] offsets = new long[index.numPartitions() + 1];
        int[] crcs = new int[index.numPartitions()];
        for (int p = 0; p < crcs.length; p++) {
            offsets[p] = index.offset(p);
            crcs[p] = index.checksum(p);
        }
        offsets[crcs.length] = index.dataLength();
        Path dataFile = located.indexFile().resolveSibling(ShuffleFileNames.dataFile(shuffleId, mapId, attemptId));
        return new ResolvedMapOutput(
                offsets, crcs, () -> files.open(dataFile, located.expectedDir(), user, what), what);
    }

    /** Drops every cached path of the app; called when the app ends on this node. */
    public void forgetApp(String appId) {
        indexFiles.remove(appId);
    }

    /** How many map outputs of the app have a cached location (for tests and diagnostics). */
    public int cachedOutputs(String appId) {
        Map<MapOutputKey, Located> cached = indexFiles.get(appId);
        return cached == null ? 0 : cached.size();
    }

    private Located locate(String appId, String user, MapOutputKey key) throws IOException {
        Map<MapOutputKey, Located> cached = indexFiles.get(appId);
        Located known = cached == null ? null : cached.get(key);
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
        // The local dir is the NodeManager's own (links there are the operator's); below it, the user's.
        Path relativePath = Paths.get(relative);
        Path localDir = found;
        for (int i = 0; i < relativePath.getNameCount(); i++) {
            localDir = localDir.getParent();
        }
        Located located = new Located(found, localDir.toRealPath().resolve(relativePath.getParent()));
        indexFiles.computeIfAbsent(appId, a -> new ConcurrentHashMap<>()).put(key, located);
        if (!apps.contains(appId)) {
            // The app ended while we searched: do not leave an entry that forgetApp already missed.
            forgetApp(appId);
        }
        return located;
    }

    private void forget(String appId, MapOutputKey key) {
        Map<MapOutputKey, Located> cached = indexFiles.get(appId);
        if (cached != null) {
            cached.remove(key);
        }
    }

    private static String describe(String appId, int shuffleId, int mapId, long attemptId) {
        return appId + " shuffle=" + shuffleId + " map=" + mapId + " attempt=" + attemptId;
    }
}
