package dev.weft.testkit;

import java.util.Locale;

/**
 * What a {@link WeftCluster} asks for, less the sharing: the key under which shared clusters are kept, so classes
 * asking for the same cluster get the same one.
 */
record ClusterSpec(
        int nodeManagers,
        int dataNodes,
        boolean shuffleService,
        boolean distinctHosts,
        String dataNodeHostName,
        boolean memoryLimits,
        boolean shuffleIntegrity,
        boolean logAggregation) {
    ClusterSpec(int nodeManagers, int dataNodes, boolean shuffleService, boolean distinctHosts) {
        this(nodeManagers, dataNodes, shuffleService, distinctHosts, "", false, false, false);
    }

    ClusterSpec {
        java.util.Objects.requireNonNull(dataNodeHostName, "dataNodeHostName is null");
        if (distinctHosts && !dataNodeHostName.isEmpty()) {
            throw new IllegalArgumentException("distinctHosts names each DataNode by its own address: it does not take"
                    + " dataNodeHostName (" + dataNodeHostName + ")");
        }
        if (!dataNodeHostName.matches("[A-Za-z0-9.-]*")) {
            throw new IllegalArgumentException("dataNodeHostName is not a host name: '" + dataNodeHostName + "'");
        }
        if (shuffleIntegrity && !shuffleService) {
            throw new IllegalArgumentException(
                    "shuffleIntegrity is a setting of the shuffle service, which this cluster"
                            + " does not run (shuffleService = false)");
        }
        if (nodeManagers < 1) {
            throw new IllegalArgumentException("nodeManagers must be at least 1: " + nodeManagers);
        }
        if (dataNodes < 1) {
            throw new IllegalArgumentException("dataNodes must be at least 1: " + dataNodes);
        }
        if (distinctHosts && dataNodes != nodeManagers) {
            throw new IllegalArgumentException("distinctHosts runs one DataNode and one NodeManager per host:"
                    + " nodeManagers (" + nodeManagers + ") and dataNodes (" + dataNodes + ") must be equal");
        }
    }

    static ClusterSpec of(WeftCluster annotation) {
        return new ClusterSpec(
                annotation.nodeManagers(),
                annotation.dataNodes(),
                annotation.shuffleService(),
                annotation.distinctHosts(),
                annotation.dataNodeHostName(),
                annotation.memoryLimits(),
                annotation.shuffleIntegrity(),
                annotation.logAggregation());
    }

    /**
     * A file-name-safe id: {@code 2nm-2dn-shuffle}, {@code 2nm-2dn-shuffle-hosts} with distinct hosts, {@code
     * 1nm-1dn-shuffle-dn-storage.invalid} with a DataNode host name.
     */
    String id() {
        return String.format(
                Locale.ROOT,
                "%dnm-%ddn-%s%s%s%s%s%s",
                nodeManagers,
                dataNodes,
                shuffleService ? "shuffle" : "noshuffle",
                distinctHosts ? "-hosts" : "",
                dataNodeHostName.isEmpty() ? "" : "-dn-" + dataNodeHostName,
                memoryLimits ? "-pmem" : "",
                shuffleIntegrity ? "-sealed" : "",
                logAggregation ? "-logagg" : "");
    }
}
