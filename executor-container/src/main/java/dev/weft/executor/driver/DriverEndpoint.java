package dev.weft.executor.driver;

import dev.weft.error.WeftError;
import dev.weft.executor.proto.Envelope;
import dev.weft.executor.proto.ErrorCode;
import dev.weft.executor.proto.KillTask;
import dev.weft.executor.proto.Shutdown;
import dev.weft.executor.rpc.FrameCodec;
import dev.weft.executor.rpc.Messages;
import dev.weft.executor.rpc.ProtocolErrorHandler;
import dev.weft.executor.rpc.RpcConfig;
import dev.weft.executor.rpc.ServerAuthHandler;
import dev.weft.id.ExecutorId;
import dev.weft.id.TaskAttemptId;
import dev.weft.metrics.TaskMetrics;
import dev.weft.task.TaskDescription;
import dev.weft.task.TaskOutcome;
import dev.weft.transport.auth.AuthSecret;
import dev.weft.transport.seal.SealedChannel;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The driver's end of the driver-executor protocol: a Netty server that executors connect to. It
 * authenticates each connection, registers executors, sends them tasks, kills and shutdowns, turns their
 * status updates into {@link Handler} callbacks, answers their map-status and broadcast requests from
 * {@link DriverServices}, and declares an executor lost when its connection closes or its heartbeats stop.
 *
 * <p>Lifecycle: the constructor binds (and throws if it cannot); {@link #close()} once closes every
 * connection without reporting those executors lost. The YARN scheduler backend is the intended user: its
 * {@code launch}/{@code kill} map to {@link #launchTask}/{@link #killTask}.
 *
 * <p>Threading: all public methods are thread-safe and never block (writes are asynchronous). Handler
 * callbacks come from Netty threads; for any one executor they are ordered
 * ({@code executorRegistered}, then {@code taskEnded}s, then at most one {@code executorLost}, after which
 * nothing more is reported for it). {@link DriverServices} is called on a separate small request pool.
 */
public final class DriverEndpoint implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DriverEndpoint.class);

    /**
     * What the endpoint reports. Called on Netty event loops, so implementations must be cheap and must not
     * block: the scheduler backend just posts an event onto the scheduler's queue.
     */
    public interface Handler {
        /**
         * Why a registration naming {@code executorId} in {@code containerId} is not an executor this driver
         * launched, or null to admit it. A peer that authenticated holds the RPC key, but the key alone must not let
         * it pose as an executor (or as another's container). Called before {@link #executorRegistered}, on the
         * event loop. Default: every authenticated peer is admitted.
         */
        default String refusal(String executorId, String containerId) {
            return null;
        }

        void executorRegistered(ExecutorId executorId, String host, int cores, String containerId);

        /** The executor is gone (connection closed or heartbeats stopped); its running tasks are lost. */
        void executorLost(ExecutorId executorId, String reason);

        /**
         * A task attempt ended. Also reported by the endpoint itself: {@link TaskOutcome.ExecutorLost} for a
         * launch on an unknown executor, {@link TaskOutcome.ExceptionFailure} with
         * {@link WeftError#TASK_TOO_LARGE} for a task too large to send.
         */
        void taskEnded(ExecutorId executorId, TaskAttemptId taskId, TaskOutcome outcome);
    }

    private final RpcConfig config;
    private final Handler handler;
    private final DriverServices services;
    private final EventLoopGroup bossGroup;
    private final EventLoopGroup workerGroup;
    private final ExecutorService requestPool;
    private final Channel serverChannel;
    private final Map<String, ExecutorConnection> executors = new ConcurrentHashMap<>();
    private final LongAdder refusedConnections = new LongAdder();
    private final LongAdder sealedRegistrations = new LongAdder();
    private final LongAdder malformedFrames = new LongAdder();
    /** The latest {@link #updateCredentials} tokens, for executors that register later; null until then. */
    private volatile byte[] latestCredentials;

    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

    public DriverEndpoint(String bindHost, int port, AuthSecret secret, Handler handler, DriverServices services) {
        this(bindHost, port, secret, handler, services, RpcConfig.defaults());
    }

    /**
     * @param port 0 for an ephemeral port; see {@link #address()}
     * @throws UncheckedIOException when the port cannot be bound
     */
    public DriverEndpoint(
            String bindHost, int port, AuthSecret secret, Handler handler, DriverServices services, RpcConfig config) {
        Objects.requireNonNull(bindHost, "bindHost is null");
        Objects.requireNonNull(secret, "secret is null");
        // The driver RPC is keyed by its own key, derived from the application's secret (see AuthSecret).
        AuthSecret rpcKey = secret.derive(AuthSecret.RPC);
        this.handler = Objects.requireNonNull(handler, "handler is null");
        this.services = Objects.requireNonNull(services, "services is null");
        this.config = Objects.requireNonNull(config, "config is null");
        this.bossGroup = new NioEventLoopGroup(1, new DefaultThreadFactory("weft-driver-accept", true));
        this.workerGroup = new NioEventLoopGroup(4, new DefaultThreadFactory("weft-driver-rpc", true));
        this.requestPool = Executors.newFixedThreadPool(2, new DefaultThreadFactory("weft-driver-requests", true));
        ProtocolErrorHandler errors = new ProtocolErrorHandler("driver", malformedFrames);
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(bossGroup, workerGroup)
                .channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        SealedChannel.install(ch.pipeline(), FrameCodec.MAX_PRE_AUTH_FRAME_BYTES);
                        FrameCodec.install(ch.pipeline(), config.maxFrameBytes(), FrameCodec.MAX_PRE_AUTH_FRAME_BYTES);
                        ch.pipeline()
                                .addLast(
                                        "auth",
                                        new ServerAuthHandler(
                                                rpcKey, config.authTimeout(), refusedConnections, config.integrity()));
                        ch.pipeline().addLast("executor", new ExecutorConnectionHandler(DriverEndpoint.this));
                        ch.pipeline().addLast("errors", errors);
                    }
                });
        try {
            this.serverChannel =
                    bootstrap.bind(bindHost, port).syncUninterruptibly().channel();
        } catch (RuntimeException e) {
            shutdownThreads();
            throw new UncheckedIOException(new java.io.IOException(
                    "cannot bind the driver endpoint to " + bindHost + ":" + port + ": " + e.getMessage(), e));
        }
        LOG.info(
                "driver endpoint listening on {} (max frame {} bytes, heartbeat interval {} ms, timeout {} ms)",
                serverChannel.localAddress(),
                config.maxFrameBytes(),
                config.heartbeatInterval().toMillis(),
                config.heartbeatTimeout().toMillis());
    }

    /** The bound address; with port 0, the port the OS picked. */
    public InetSocketAddress address() {
        return (InetSocketAddress) serverChannel.localAddress();
    }

    /**
     * Sends the attempt to the executor. If the executor is unknown or already lost, the handler receives
     * {@link TaskOutcome.ExecutorLost} for it; if the task is larger than the maximum frame, an
     * {@link TaskOutcome.ExceptionFailure} with {@link WeftError#TASK_TOO_LARGE}. A write that fails because the connection dropped is covered by the
     * {@code executorLost} that follows.
     */
    public void launchTask(String executorId, TaskDescription task) {
        ExecutorConnection c = executors.get(executorId);
        if (c == null || c.isLost()) {
            // Asynchronous like every other report, so the caller (the scheduler thread) is never re-entered.
            workerGroup.execute(() -> fireTaskEnded(
                    executorId,
                    task.taskId(),
                    new TaskOutcome.ExecutorLost(
                            executorId, "executor " + executorId + " is not registered", new TaskMetrics())));
            return;
        }
        c.channel.writeAndFlush(Messages.launchTask(task)).addListener((ChannelFutureListener) f -> {
            if (!f.isSuccess() && f.cause() instanceof FrameCodec.FrameTooLargeException tooLarge) {
                LOG.error("cannot send {} to executor {}: {}", task.name(), executorId, tooLarge.getMessage());
                fireTaskEnded(
                        executorId,
                        task.taskId(),
                        new TaskOutcome.ExceptionFailure(
                                WeftError.TASK_TOO_LARGE,
                                tooLarge.getClass().getName(),
                                tooLarge.getMessage(),
                                "",
                                null,
                                new TaskMetrics()));
            }
        });
    }

    /** Asks the executor to kill the attempt; it then reports {@link TaskOutcome.Killed}. No-op when unknown. */
    public void killTask(String executorId, long taskId, String reason) {
        ExecutorConnection c = executors.get(executorId);
        if (c != null) {
            c.channel.writeAndFlush(Envelope.newBuilder()
                    .setKillTask(KillTask.newBuilder().setTaskId(taskId).setReason(reason == null ? "" : reason))
                    .build());
        }
    }

    /**
     * Tells the executor to exit (code 0). Its connection then closes, which is reported as
     * {@code executorLost} with reason "connection closed"; the caller knows it asked for it.
     */
    public void shutdownExecutor(String executorId) {
        ExecutorConnection c = executors.get(executorId);
        if (c != null) {
            c.channel.writeAndFlush(Envelope.newBuilder()
                    .setShutdown(Shutdown.newBuilder().setReason("driver request"))
                    .build());
        }
    }

    /**
     * Sends fresh delegation tokens ({@code Credentials.writeTokenStorageToStream} bytes) to every registered
     * executor, and remembers them for each executor that registers later (it may have been launched with the old
     * ones).
     */
    public void updateCredentials(byte[] tokens) {
        byte[] copy = tokens.clone();
        latestCredentials = copy;
        for (ExecutorConnection c : executors.values()) {
            c.channel.writeAndFlush(updateCredentialsMessage(copy));
        }
    }

    /**
     * Tells every registered executor to drop the cached partitions of dataset {@code nodeId} (unpersist). An
     * executor handles it before any task launched after this call.
     */
    public void removeDataset(int nodeId) {
        toEveryExecutor(Envelope.newBuilder()
                .setRemoveDataset(
                        dev.weft.executor.proto.RemoveDataset.newBuilder().setNodeId(nodeId))
                .build());
    }

    /** Tells every registered executor to delete the files of shuffle {@code shuffleId}, which nothing reads again. */
    public void removeShuffle(int shuffleId) {
        toEveryExecutor(Envelope.newBuilder()
                .setRemoveShuffle(
                        dev.weft.executor.proto.RemoveShuffle.newBuilder().setShuffleId(shuffleId))
                .build());
    }

    private void toEveryExecutor(Envelope message) {
        for (ExecutorConnection c : executors.values()) {
            c.channel.writeAndFlush(message);
        }
    }

    private static Envelope updateCredentialsMessage(byte[] tokens) {
        return Envelope.newBuilder()
                .setUpdateCredentials(dev.weft.executor.proto.UpdateCredentials.newBuilder()
                        .setTokens(com.google.protobuf.ByteString.copyFrom(tokens)))
                .build();
    }

    /** Ids of the executors registered and not lost. */
    public Set<String> executors() {
        return Set.copyOf(executors.keySet());
    }

    /** Executors that registered over a sealed connection ({@link RpcConfig#integrity()}). */
    public long sealedRegistrations() {
        return sealedRegistrations.sum();
    }

    void sealedRegistration() {
        sealedRegistrations.increment();
    }

    /** Connections refused: failed or missing authentication, duplicate ids, protocol violations. */
    public long refusedConnections() {
        return refusedConnections.sum();
    }

    /** Connections closed because of a malformed frame (oversized, undecodable). */
    public long malformedFrames() {
        return malformedFrames.sum();
    }

    /** Closes the server and every connection; executors then exit on their own (driver lost). Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        // Closing executors here is not their loss: mark them first so no executorLost is reported.
        for (ExecutorConnection c : executors.values()) {
            c.markLost();
        }
        executors.clear();
        serverChannel.close().syncUninterruptibly();
        shutdownThreads();
        LOG.info("driver endpoint on {} closed", serverChannel.localAddress());
    }

    private void shutdownThreads() {
        requestPool.shutdownNow();
        bossGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS);
        workerGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }

    // ---- for ExecutorConnectionHandler ---------------------------------------------------------------

    RpcConfig config() {
        return config;
    }

    DriverServices services() {
        return services;
    }

    void countRefused() {
        refusedConnections.increment();
    }

    /** Returns false when another live connection already holds the id. */
    boolean register(ExecutorConnection c) {
        return executors.putIfAbsent(c.executorId, c) == null;
    }

    void lost(ExecutorConnection c, String reason) {
        if (!c.markLost()) {
            return;
        }
        executors.remove(c.executorId, c);
        LOG.warn("executor {} lost: {}", c.executorId, reason);
        try {
            handler.executorLost(new ExecutorId(c.executorId), reason);
        } catch (RuntimeException e) {
            LOG.error("the handler failed on executorLost({})", c.executorId, e);
        }
    }

    String refusal(String executorId, String containerId) {
        try {
            return handler.refusal(executorId, containerId);
        } catch (RuntimeException e) {
            LOG.error("the handler failed on refusal({})", executorId, e);
            return "the driver could not check the registration: " + e;
        }
    }

    void fireRegistered(ExecutorConnection c) {
        byte[] tokens = latestCredentials;
        if (tokens != null) {
            c.channel.writeAndFlush(updateCredentialsMessage(tokens));
        }
        try {
            handler.executorRegistered(new ExecutorId(c.executorId), c.host, c.cores, c.containerId);
        } catch (RuntimeException e) {
            LOG.error("the handler failed on executorRegistered({})", c.executorId, e);
        }
    }

    void fireTaskEnded(String executorId, long taskId, TaskOutcome outcome) {
        try {
            handler.taskEnded(new ExecutorId(executorId), new TaskAttemptId(taskId), outcome);
        } catch (RuntimeException e) {
            LOG.error("the handler failed on taskEnded({}, {})", executorId, taskId, e);
        }
    }

    /** Computes a response on the request pool (driver code must not run on event loops) and sends it. */
    void answer(Channel channel, long requestId, Supplier<Envelope> response) {
        try {
            requestPool.execute(() -> {
                Envelope reply;
                try {
                    reply = response.get();
                } catch (RuntimeException e) {
                    LOG.error("request {} from {} failed", requestId, channel.remoteAddress(), e);
                    reply = Messages.error(requestId, ErrorCode.INTERNAL, e.toString());
                }
                channel.writeAndFlush(reply).addListener((ChannelFutureListener) f -> {
                    if (!f.isSuccess() && f.cause() instanceof FrameCodec.FrameTooLargeException tooLarge) {
                        channel.writeAndFlush(Messages.error(requestId, ErrorCode.INTERNAL, tooLarge.getMessage()));
                    }
                });
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            LOG.debug("request {} dropped: the endpoint is closing", requestId);
        }
    }
}
