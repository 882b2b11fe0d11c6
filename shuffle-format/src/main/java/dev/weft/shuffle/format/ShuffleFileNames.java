package dev.weft.shuffle.format;

/**
 * The naming rule for map output files: {@code shuffle_<shuffleId>_<mapId>_<attemptId>.data} and {@code .index},
 * all ids in decimal. Executors put them in {@link #DIR_UNDER_APP_LOCAL_DIR} under the first entry of the
 * container's {@code LOCAL_DIRS}; the NodeManager shuffle service looks for them there. Names are built from numbers
 * only, so they never contain a path separator. Stateless and thread-safe.
 */
public final class ShuffleFileNames {
    /** Where an executor keeps map outputs, relative to its application's local dir ({@code .../appcache/<appId>}). */
    public static final String DIR_UNDER_APP_LOCAL_DIR = "weft/shuffle";

    public static final String DATA_SUFFIX = ".data";
    public static final String INDEX_SUFFIX = ".index";

    private ShuffleFileNames() {}

    public static String dataFile(int shuffleId, int mapId, long attemptId) {
        return baseName(shuffleId, mapId, attemptId) + DATA_SUFFIX;
    }

    public static String indexFile(int shuffleId, int mapId, long attemptId) {
        return baseName(shuffleId, mapId, attemptId) + INDEX_SUFFIX;
    }

    /** The common prefix of every file of one shuffle, e.g. for a glob deleting it. */
    public static String shufflePrefix(int shuffleId) {
        return "shuffle_" + shuffleId + "_";
    }

    private static String baseName(int shuffleId, int mapId, long attemptId) {
        return shufflePrefix(shuffleId) + mapId + "_" + attemptId;
    }
}
