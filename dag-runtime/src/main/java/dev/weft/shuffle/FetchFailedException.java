package dev.weft.shuffle;

/**
 * A reduce task could not obtain one map output block (missing, unreachable or corrupt). The DAG
 * scheduler reacts by marking that map output lost, re-running only that map partition, and retrying
 * the reduce stage; it is never counted as an ordinary task failure.
 */
public class FetchFailedException extends RuntimeException {
    private final int shuffleId;
    private final int mapId;
    private final long mapAttemptId;
    private final int reduceId;
    private final String location;

    /** {@link #mapAttemptId()} when no map output was known to the reader (nothing to compare). */
    public static final long UNKNOWN_ATTEMPT = -1;

    /**
     * @param mapAttemptId the attempt that wrote the output the reader failed to read, or {@link #UNKNOWN_ATTEMPT}
     */
    public FetchFailedException(
            int shuffleId,
            int mapId,
            long mapAttemptId,
            int reduceId,
            String location,
            String message,
            Throwable cause) {
        super(
                "fetch of shuffle " + shuffleId + " map " + mapId + " reduce " + reduceId + " from " + location
                        + " failed: " + message,
                cause);
        this.shuffleId = shuffleId;
        this.mapId = mapId;
        this.mapAttemptId = mapAttemptId;
        this.reduceId = reduceId;
        this.location = location;
    }

    public int shuffleId() {
        return shuffleId;
    }

    public int mapId() {
        return mapId;
    }

    /** The map attempt whose output could not be read; {@link #UNKNOWN_ATTEMPT} when none was known. */
    public long mapAttemptId() {
        return mapAttemptId;
    }

    public int reduceId() {
        return reduceId;
    }

    public String location() {
        return location;
    }

    /** True when the block was read but failed its checksum. */
    public boolean isCorruption() {
        return getCause() instanceof ShuffleCorruptionException;
    }
}
