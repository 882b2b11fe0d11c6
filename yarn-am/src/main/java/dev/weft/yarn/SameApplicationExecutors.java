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

/** Executors as containers of the driver's own application (driver and executor queues are the same). */
final class SameApplicationExecutors implements ExecutorApplication {
    private final AmRuntime rt;

    SameApplicationExecutors(AmRuntime rt) {
        this.rt = rt;
        rt.takeOverHeartbeat();
    }

    @Override
    public ApplicationId applicationId() {
        return rt.appId;
    }

    @Override
    public void addContainerRequest(ContainerRequest request) {
        rt.amrm.addContainerRequest(request);
    }

    @Override
    public void removeContainerRequest(ContainerRequest request) {
        rt.amrm.removeContainerRequest(request);
    }

    @Override
    public AllocateResponse allocate(float progress) throws Exception {
        rt.setProgress(progress);
        return rt.heartbeat();
    }

    @Override
    public void releaseContainer(ContainerId id) {
        rt.amrm.releaseAssignedContainer(id);
    }

    @Override
    public void updateBlacklist(java.util.List<String> additions, java.util.List<String> removals) {
        rt.amrm.updateBlacklist(additions, removals);
    }

    @Override
    public Map<String, ByteBuffer> startContainer(Container container, ContainerLaunchContext clc) throws Exception {
        return rt.nm.startContainer(container, clc);
    }

    @Override
    public void finish(FinalApplicationStatus status, String diagnostics) {
        // The driver unregisters its own application when the program ends.
    }

    @Override
    public void close() {
        // The driver's clients are closed by the driver.
    }
}
