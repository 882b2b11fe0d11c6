package dev.weft.yarn;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.yarn.api.protocolrecords.AllocateResponse;
import org.apache.hadoop.yarn.api.records.ApplicationAttemptId;
import org.apache.hadoop.yarn.api.records.ApplicationId;
import org.apache.hadoop.yarn.api.records.Container;
import org.apache.hadoop.yarn.api.records.ContainerId;
import org.apache.hadoop.yarn.api.records.ContainerLaunchContext;
import org.apache.hadoop.yarn.api.records.FinalApplicationStatus;
import org.apache.hadoop.yarn.api.records.NodeId;
import org.apache.hadoop.yarn.api.records.Priority;
import org.apache.hadoop.yarn.api.records.Resource;
import org.apache.hadoop.yarn.client.api.AMRMClient.ContainerRequest;

/**
 * A fake executor application: the AMRM side records the requests added and removed and the containers
 * released; the NodeManager side records container starts and answers them with the metadata (or the
 * failure) a test sets. Single-threaded, like the allocator it stands in for.
 */
final class TestingExecutorApplication implements ExecutorApplication {
    static final ApplicationId APP = ApplicationId.newInstance(1_000, 7);

    final List<ContainerRequest> live = new ArrayList<>();
    final List<ContainerRequest> removed = new ArrayList<>();
    final List<ContainerId> released = new ArrayList<>();
    final List<ContainerLaunchContext> started = new ArrayList<>();
    Map<String, ByteBuffer> startResponse = Map.of();
    Exception startFailure;
    private int nextContainer = 1;

    /** A container on {@code host} as the ResourceManager would allocate it, for no particular request. */
    Container container(String host) {
        return container(host, Priority.UNDEFINED);
    }

    /** A container on {@code host} allocated for a request of {@code priority}. */
    Container container(String host, Priority priority) {
        ContainerId id = ContainerId.newContainerId(ApplicationAttemptId.newInstance(APP, 1), nextContainer++);
        return Container.newInstance(
                id, NodeId.newInstance(host, 8041), host + ":8042", Resource.newInstance(1024, 1), priority, null);
    }

    @Override
    public ApplicationId applicationId() {
        return APP;
    }

    @Override
    public void addContainerRequest(ContainerRequest request) {
        live.add(request);
    }

    @Override
    public void removeContainerRequest(ContainerRequest request) {
        if (!live.remove(request)) {
            throw new AssertionError("removed a request that was not added: " + request);
        }
        removed.add(request);
    }

    @Override
    public AllocateResponse allocate(float progress) {
        throw new UnsupportedOperationException("the tests drive allocation directly");
    }

    @Override
    public void releaseContainer(ContainerId id) {
        released.add(id);
    }

    /** Blacklist changes as "+host" and "-host", in order. */
    final List<String> blacklist = new ArrayList<>();

    @Override
    public void updateBlacklist(List<String> additions, List<String> removals) {
        additions.forEach(h -> blacklist.add("+" + h));
        removals.forEach(h -> blacklist.add("-" + h));
    }

    @Override
    public Map<String, ByteBuffer> startContainer(Container container, ContainerLaunchContext clc) throws Exception {
        started.add(clc);
        if (startFailure != null) {
            throw startFailure;
        }
        return startResponse;
    }

    @Override
    public void finish(FinalApplicationStatus status, String diagnostics) {}

    @Override
    public void close() {}
}
