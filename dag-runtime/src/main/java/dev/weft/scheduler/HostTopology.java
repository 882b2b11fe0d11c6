package dev.weft.scheduler;

/**
 * Maps a host to its rack for RACK_LOCAL scheduling. The YARN backend should answer with the cluster's
 * topology (Hadoop's {@code RackResolver}, i.e. {@code net.topology.script.file.name}); everything else
 * sees one flat rack, which makes RACK_LOCAL the same as "any host".
 *
 * <p>Called on the scheduler thread, once per preferred host of each task set and once per offer that
 * reaches the rack level, so implementations must answer quickly (cache script results) and be
 * thread-safe if they are shared.
 */
@FunctionalInterface
public interface HostTopology {
    String DEFAULT_RACK = "/default-rack";

    /** Every host on {@link #DEFAULT_RACK}. */
    HostTopology FLAT = host -> DEFAULT_RACK;

    /** The rack of {@code host}, or null when unknown (the host then matches no rack). */
    String rackOf(String host);
}
