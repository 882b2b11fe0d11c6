package dev.weft.scheduler;

import dev.weft.exec.MapOutputLookup;
import dev.weft.id.MapOutputId;
import dev.weft.id.ShuffleId;
import dev.weft.shuffle.MapStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The driver's record of where each shuffle's map outputs are. Written only by the scheduler thread,
 * read by executors (through {@link MapOutputLookup}) from any thread: each update publishes a fresh
 * copy of the shuffle's array, so readers never see a torn state.
 */
public final class MapOutputTracker implements MapOutputLookup {
    private final Map<Integer, MapStatus[]> outputs = new ConcurrentHashMap<>();

    public MapOutputTracker() {}

    void registerShuffle(ShuffleId shuffleId, int numMaps) {
        outputs.putIfAbsent(shuffleId.value(), new MapStatus[numMaps]);
    }

    void register(MapStatus status) {
        outputs.computeIfPresent(status.shuffleId(), (id, arr) -> {
            MapStatus[] copy = arr.clone();
            copy[status.mapId()] = status;
            return copy;
        });
    }

    /**
     * Forgets one map output (its block could not be read), if it is the one attempt {@code attemptId} wrote. A
     * reader of an older output, reporting after a newer attempt replaced it, leaves the newer one alone; so does a
     * reader that found no output at all ({@code attemptId} negative): whatever is registered now came after it
     * looked. Returns whether an output was forgotten.
     */
    boolean unregister(int shuffleId, int mapId, long attemptId) {
        boolean[] removed = new boolean[1];
        outputs.computeIfPresent(shuffleId, (id, arr) -> {
            if (arr[mapId] == null || arr[mapId].attemptId() != attemptId) {
                return arr;
            }
            removed[0] = true;
            MapStatus[] copy = arr.clone();
            copy[mapId] = null;
            return copy;
        });
        return removed[0];
    }

    /** Forgets every output written by one executor (it was lost along with its files); returns them. */
    List<MapOutputId> unregisterExecutor(String executorId) {
        List<MapOutputId> removed = new ArrayList<>();
        for (Map.Entry<Integer, MapStatus[]> e : outputs.entrySet()) {
            MapStatus[] arr = e.getValue();
            for (int m = 0; m < arr.length; m++) {
                if (arr[m] != null && arr[m].location().executorId().equals(executorId)) {
                    unregister(e.getKey(), m, arr[m].attemptId());
                    removed.add(MapOutputId.of(e.getKey(), m));
                }
            }
        }
        return removed;
    }

    /** Forgets every output served from one server (host and port): it is unreachable. Returns them. */
    List<MapOutputId> unregisterServer(String host, int port) {
        List<MapOutputId> removed = new ArrayList<>();
        for (Map.Entry<Integer, MapStatus[]> e : outputs.entrySet()) {
            MapStatus[] arr = e.getValue();
            for (int m = 0; m < arr.length; m++) {
                if (arr[m] != null
                        && arr[m].location().host().equals(host)
                        && arr[m].location().port() == port) {
                    unregister(e.getKey(), m, arr[m].attemptId());
                    removed.add(MapOutputId.of(e.getKey(), m));
                }
            }
        }
        return removed;
    }

    /** The registered status of one map output, or null. */
    MapStatus status(int shuffleId, int mapId) {
        MapStatus[] arr = outputs.get(shuffleId);
        return arr == null || mapId < 0 || mapId >= arr.length ? null : arr[mapId];
    }

    /** The map ids of {@code shuffleId} whose output is not registered. */
    List<Integer> missing(ShuffleId shuffleId) {
        MapStatus[] arr = outputs.get(shuffleId.value());
        List<Integer> out = new ArrayList<>();
        if (arr != null) {
            for (int m = 0; m < arr.length; m++) {
                if (arr[m] == null) {
                    out.add(m);
                }
            }
        }
        return out;
    }

    @Override
    public MapStatus[] statuses(ShuffleId shuffleId) {
        MapStatus[] arr = outputs.get(shuffleId.value());
        if (arr == null) {
            throw new IllegalStateException("unknown shuffle " + shuffleId);
        }
        return arr.clone();
    }

    void removeShuffle(ShuffleId shuffleId) {
        outputs.remove(shuffleId.value());
    }
}
