package dev.weft.executor.driver;

import io.netty.channel.Channel;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The driver's view of one registered executor: its identity, its channel and when it last reported.
 *
 * <p>Thread-safe: launches and kills read it from the scheduler thread; heartbeats update it and the loss
 * check reads it on the channel's event loop. {@link #markLost()} succeeds once, which is what makes
 * {@code executorLost} fire exactly once whether the channel closed or the heartbeats stopped.
 */
final class ExecutorConnection {
    final String executorId;
    final String host;
    final int cores;
    final String containerId;
    final Channel channel;
    private volatile long lastHeartbeatNanos;
    private final AtomicBoolean lost = new AtomicBoolean();

    ExecutorConnection(String executorId, String host, int cores, String containerId, Channel channel, long nowNanos) {
        this.executorId = Objects.requireNonNull(executorId, "executorId is null");
        this.host = Objects.requireNonNull(host, "host is null");
        this.cores = cores;
        this.containerId = Objects.requireNonNull(containerId, "containerId is null");
        this.channel = Objects.requireNonNull(channel, "channel is null");
        this.lastHeartbeatNanos = nowNanos;
    }

    void heartbeat(long nowNanos) {
        lastHeartbeatNanos = nowNanos;
    }

    long silentNanos(long nowNanos) {
        return nowNanos - lastHeartbeatNanos;
    }

    /** Returns true for the first caller only. */
    boolean markLost() {
        return lost.compareAndSet(false, true);
    }

    boolean isLost() {
        return lost.get();
    }
}
