package dev.weft.yarn;

import java.nio.ByteBuffer;
import java.util.Map;
import org.apache.hadoop.yarn.api.protocolrecords.AllocateResponse;
import org.apache.hadoop.yarn.api.records.ApplicationId;
import org.apache.hadoop.yarn.api.records.Container;
import org.apache.hadoop.yarn.api.records.ContainerId;
import org.apache.hadoop.yarn.api.records.ContainerLaunchContext;
import org.apache.hadoop.yarn.api.records.FinalApplicationStatus;
import org.apache.hadoop.yarn.client.api.AMRMClient.ContainerRequest;

/**
 * The YARN application whose containers run the executors: the driver's own application when driver
 * and executor queues are equal, otherwise a second, unmanaged application in the executor queue that
 * the driver registers and drives itself ({@link UnmanagedExecutorApplication}).
 *
 * <p>Threading: not thread-safe; the YARN backend's allocator thread is the only caller.
 */
interface ExecutorApplication extends AutoCloseable {
    ApplicationId applicationId();

    void addContainerRequest(ContainerRequest request);

    void removeContainerRequest(ContainerRequest request);

    /** One heartbeat to the ResourceManager: new containers, completed ones, and the progress shown in the RM UI. */
    AllocateResponse allocate(float progress) throws Exception;

    void releaseContainer(ContainerId id);

    /**
     * Changes the nodes the ResourceManager must not place this application's containers on (sent with the next
     * allocate call); {@code additions} and {@code removals} are host names as NodeManagers register.
     */
    void updateBlacklist(java.util.List<String> additions, java.util.List<String> removals);

    /** Starts a container; returns the aux services' metadata (e.g. the shuffle service port). */
    Map<String, ByteBuffer> startContainer(Container container, ContainerLaunchContext clc) throws Exception;

    /** Unregisters (for a second application) with the final status; idempotent. */
    void finish(FinalApplicationStatus status, String diagnostics);

    /**
     * Gives up an application that ended under the driver or can no longer be reached: asks the ResourceManager to
     * kill it should it still run (so that nothing of it stays RUNNING), then releases the clients. Default: close.
     */
    default void abandon() {
        close();
    }

    @Override
    void close();
}
