package dev.weft.executor.rpc;

import dev.weft.executor.proto.AskCommit;
import dev.weft.executor.proto.CommitDecision;
import dev.weft.executor.proto.Envelope;
import dev.weft.executor.proto.ErrorCode;
import dev.weft.executor.proto.ErrorResponse;
import dev.weft.executor.proto.GetBroadcast;
import dev.weft.executor.proto.GetMapStatuses;
import dev.weft.executor.proto.RegisterExecutor;
import dev.weft.executor.proto.RegisteredAck;
import dev.weft.shuffle.MapStatus;
import dev.weft.task.TaskDescription;
import dev.weft.transport.auth.AuthSecret;
import dev.weft.transport.seal.SealedChannel;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The executor's connection to the driver: connects and authenticates, registers, delivers the driver's
 * commands to a {@link Listener}, sends status updates and heartbeats, and matches the driver's answers to
 * requests by request id.
 *
 * <p>Lifecycle: {@link #connect()}, then {@link #register}, then any number of sends and requests, then
 * {@link #close()}. Thread-safe: task threads issue requests and send updates concurrently; the listener is
 * called on the connection's single event loop thread, in the order the driver sent its commands. When the
 * connection closes, every pending request fails with {@link ErrorCode#INTERNAL} and the listener's
 * {@link Listener#disconnected} is called once.
 */
public final class DriverClient implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DriverClient.class);

    /** The driver's commands. Called on the event loop: must not block (hand work to the task pool). */
    public interface Listener {
        void launchTask(TaskDescription task);

        void killTask(long taskId, String reason);

        void shutdown(String reason);

        /** The connection is gone; not called after {@link DriverClient#close()}. */
        void disconnected(String reason);

        /**
         * Fresh delegation tokens from the driver ({@code Credentials.writeTokenStorageToStream} bytes); runs on the
         * event loop. Only a Kerberized job's driver sends them.
         */
        default void updateCredentials(byte[] tokens) {}

        /** The program unpersisted dataset {@code nodeId}: drop its cached partitions; runs on the event loop. */
        default void removeDataset(int nodeId) {}

        /** Nothing can read shuffle {@code shuffleId} again: delete its files here; runs on the event loop. */
        default void removeShuffle(int shuffleId) {}
    }

    private final String host;
    private final int port;
    private final AuthSecret secret;
    private final RpcConfig config;
    private final Listener listener;
    private final EventLoopGroup group = new NioEventLoopGroup(1, new DefaultThreadFactory("weft-executor-rpc", true));
    private final Map<Long, CompletableFuture<Envelope>> pending = new ConcurrentHashMap<>();
    private final AtomicLong nextRequestId = new AtomicLong(1);
    private final CompletableFuture<RegisteredAck> registration = new CompletableFuture<>();
    private final LongAdder malformedFrames = new LongAdder();
    private volatile Channel channel;
    private volatile boolean closing;

    public DriverClient(String host, int port, AuthSecret secret, RpcConfig config, Listener listener) {
        this.host = Objects.requireNonNull(host, "host is null");
        this.port = port;
        this.secret = Objects.requireNonNull(secret, "secret is null");
        this.config = Objects.requireNonNull(config, "config is null");
        this.listener = Objects.requireNonNull(listener, "listener is null");
    }

    /**
     * Connects and runs the handshake; blocks up to the auth timeout.
     *
     * @throws IOException   when the driver cannot be reached or closes the connection
     * @throws AuthException when either side's proof fails or the versions differ
     */
    public void connect() throws IOException, AuthException {
        // The driver RPC is keyed by its own key, derived from the application's secret (see AuthSecret).
        ClientAuthHandler auth = new ClientAuthHandler(secret.derive(AuthSecret.RPC), config.integrity());
        Bootstrap bootstrap = new Bootstrap()
                .group(group)
                .channel(NioSocketChannel.class)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int)
                        Math.min(Integer.MAX_VALUE, config.authTimeout().toMillis()))
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        SealedChannel.install(ch.pipeline(), FrameCodec.MAX_PRE_AUTH_FRAME_BYTES);
                        FrameCodec.install(ch.pipeline(), config.maxFrameBytes());
                        ch.pipeline().addLast("auth", auth);
                        ch.pipeline().addLast("driver", new Inbound());
                        ch.pipeline().addLast("errors", new ProtocolErrorHandler("executor", malformedFrames));
                    }
                });
        ChannelFuture connected = bootstrap.connect(host, port).awaitUninterruptibly();
        if (!connected.isSuccess()) {
            throw new IOException(
                    "cannot connect to the driver at " + host + ":" + port + ": " + connected.cause(),
                    connected.cause());
        }
        channel = connected.channel();
        try {
            auth.authenticated().get(config.authTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof AuthException ae) {
                throw ae;
            }
            throw new IOException("authentication with the driver failed: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            channel.close();
            throw new AuthException(
                    ErrorCode.AUTH_FAILED,
                    "the driver did not complete authentication within "
                            + config.authTimeout().toMillis() + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            channel.close();
            throw new IOException("interrupted while authenticating", e);
        }
    }

    /**
     * Registers this executor; blocks until the driver acknowledges.
     *
     * @throws DriverRequestException with {@link ErrorCode#DUPLICATE_EXECUTOR} or
     *                                {@link ErrorCode#PROTOCOL_VERSION_MISMATCH} when refused, {@link ErrorCode#INTERNAL}
     *                                when the connection failed or the driver did not answer in time
     */
    public RegisteredAck register(RegisterExecutor request) {
        send(Envelope.newBuilder().setRegisterExecutor(request).build());
        try {
            return registration.get(config.askTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof DriverRequestException d
                    ? d
                    : new DriverRequestException(ErrorCode.INTERNAL, "registration failed: " + e.getCause());
        } catch (TimeoutException e) {
            throw new DriverRequestException(
                    ErrorCode.INTERNAL,
                    "the driver did not acknowledge the registration within "
                            + config.askTimeout().toMillis() + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DriverRequestException(ErrorCode.INTERNAL, "interrupted while registering");
        }
    }

    /** The map statuses of a shuffle; fails with {@link DriverRequestException} (e.g. UNKNOWN_SHUFFLE). */
    public CompletableFuture<MapStatus[]> mapStatuses(int shuffleId) {
        long id = nextRequestId.getAndIncrement();
        return ask(
                        id,
                        Envelope.newBuilder()
                                .setGetMapStatuses(GetMapStatuses.newBuilder()
                                        .setRequestId(id)
                                        .setShuffleId(shuffleId))
                                .build())
                .thenApply(env -> {
                    try {
                        return Messages.deserializeMapStatuses(
                                env.getMapStatusesResponse().getStatuses().toByteArray());
                    } catch (IOException e) {
                        throw new DriverRequestException(
                                ErrorCode.INTERNAL,
                                "unreadable map statuses of shuffle " + shuffleId + ": " + e.getMessage());
                    }
                });
    }

    /** A broadcast's serialized value; fails with {@link DriverRequestException} (e.g. UNKNOWN_BROADCAST). */
    public CompletableFuture<byte[]> broadcast(long broadcastId) {
        long id = nextRequestId.getAndIncrement();
        return ask(
                        id,
                        Envelope.newBuilder()
                                .setGetBroadcast(GetBroadcast.newBuilder()
                                        .setRequestId(id)
                                        .setBroadcastId(broadcastId))
                                .build())
                .thenApply(env -> env.getBroadcastResponse().getValue().toByteArray());
    }

    /** Asks whether the attempt may commit its output; the driver's decision, with its reason when refused. */
    public CompletableFuture<CommitDecision> canCommit(int stageId, int partition, long taskId) {
        long id = nextRequestId.getAndIncrement();
        return ask(
                        id,
                        Envelope.newBuilder()
                                .setAskCommit(AskCommit.newBuilder()
                                        .setRequestId(id)
                                        .setStageId(stageId)
                                        .setPartition(partition)
                                        .setTaskId(taskId))
                                .build())
                .thenApply(Envelope::getCommitDecision);
    }

    /** Sends a one-way message (status update, heartbeat); a failed write shows up as a disconnect. */
    public void send(Envelope message) {
        Channel ch = channel;
        if (ch == null) {
            throw new IllegalStateException("not connected");
        }
        ch.writeAndFlush(message).addListener(f -> {
            if (!f.isSuccess() && !closing) {
                LOG.warn(
                        "cannot send {} to the driver: {}",
                        message.getBodyCase(),
                        f.cause().toString());
            }
        });
    }

    /** Runs {@code task} every {@code periodMs} on the connection's event loop until {@link #close()}. */
    public void every(long periodMs, Runnable task) {
        group.next().scheduleAtFixedRate(task, periodMs, periodMs, TimeUnit.MILLISECONDS);
    }

    public RpcConfig config() {
        return config;
    }

    /** Frames from the driver that could not be decoded (each closed the connection). */
    public long malformedFrames() {
        return malformedFrames.sum();
    }

    @Override
    public void close() {
        closing = true;
        Channel ch = channel;
        if (ch != null) {
            ch.close().awaitUninterruptibly();
        }
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
    }

    private CompletableFuture<Envelope> ask(long id, Envelope request) {
        CompletableFuture<Envelope> f = new CompletableFuture<>();
        pending.put(id, f);
        Channel ch = channel;
        if (ch == null || !ch.isActive()) {
            pending.remove(id);
            f.completeExceptionally(new DriverRequestException(ErrorCode.INTERNAL, "not connected to the driver"));
            return f;
        }
        ch.writeAndFlush(request).addListener(w -> {
            if (!w.isSuccess()) {
                fail(id, new DriverRequestException(ErrorCode.INTERNAL, "cannot send request: " + w.cause()));
            }
        });
        return f.orTimeout(config.askTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .whenComplete((r, e) -> pending.remove(id));
    }

    private void fail(long id, Throwable cause) {
        CompletableFuture<Envelope> f = pending.remove(id);
        if (f != null) {
            f.completeExceptionally(cause);
        }
    }

    /** Dispatches the driver's frames; runs on the event loop. */
    private final class Inbound extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            Envelope env = (Envelope) msg;
            switch (env.getBodyCase()) {
                case REGISTERED_ACK -> registration.complete(env.getRegisteredAck());
                case LAUNCH_TASK -> listener.launchTask(Messages.taskDescription(env.getLaunchTask()));
                case KILL_TASK ->
                    listener.killTask(
                            env.getKillTask().getTaskId(), env.getKillTask().getReason());
                case SHUTDOWN -> listener.shutdown(env.getShutdown().getReason());
                case UPDATE_CREDENTIALS ->
                    listener.updateCredentials(
                            env.getUpdateCredentials().getTokens().toByteArray());
                case REMOVE_DATASET ->
                    listener.removeDataset(env.getRemoveDataset().getNodeId());
                case REMOVE_SHUFFLE ->
                    listener.removeShuffle(env.getRemoveShuffle().getShuffleId());
                case MAP_STATUSES_RESPONSE ->
                    complete(env.getMapStatusesResponse().getRequestId(), env);
                case BROADCAST_RESPONSE -> complete(env.getBroadcastResponse().getRequestId(), env);
                case COMMIT_DECISION -> complete(env.getCommitDecision().getRequestId(), env);
                case ERROR_RESPONSE -> error(env.getErrorResponse());
                default -> {
                    LOG.error(
                            "closing the driver connection: the driver sent {}, which it never should",
                            env.getBodyCase());
                    ctx.close();
                }
            }
        }

        private void complete(long requestId, Envelope env) {
            CompletableFuture<Envelope> f = pending.remove(requestId);
            if (f == null) {
                LOG.debug("answer to request {} arrived after it timed out", requestId);
            } else {
                f.complete(env);
            }
        }

        private void error(ErrorResponse e) {
            DriverRequestException ex = new DriverRequestException(e.getCode(), e.getMessage());
            if (e.getRequestId() == 0) {
                // Not an answer to a request: the driver refuses this conversation (and closes it).
                LOG.error("the driver refused this executor: {} ({})", e.getMessage(), e.getCode());
                registration.completeExceptionally(ex);
            } else {
                fail(e.getRequestId(), ex);
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            DriverRequestException closed =
                    new DriverRequestException(ErrorCode.INTERNAL, "the connection to the driver closed");
            registration.completeExceptionally(closed);
            for (Long id : pending.keySet()) {
                fail(id, closed);
            }
            if (!closing) {
                listener.disconnected("the connection to the driver at " + host + ":" + port + " closed");
            }
            ctx.fireChannelInactive();
        }
    }
}
