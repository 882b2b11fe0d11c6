package dev.weft.executor.driver;

import com.google.protobuf.UnsafeByteOperations;
import dev.weft.error.ErrorCategory;
import dev.weft.error.WeftError;
import dev.weft.executor.proto.AskCommit;
import dev.weft.executor.proto.BroadcastResponse;
import dev.weft.executor.proto.CommitDecision;
import dev.weft.executor.proto.Envelope;
import dev.weft.executor.proto.ErrorCode;
import dev.weft.executor.proto.GetBroadcast;
import dev.weft.executor.proto.GetMapStatuses;
import dev.weft.executor.proto.MapStatusesResponse;
import dev.weft.executor.proto.RegisterExecutor;
import dev.weft.executor.proto.RegisteredAck;
import dev.weft.executor.proto.StatusUpdate;
import dev.weft.executor.rpc.Messages;
import dev.weft.executor.rpc.ProtocolVersion;
import dev.weft.metrics.TaskMetrics;
import dev.weft.shuffle.MapStatus;
import dev.weft.task.TaskOutcome;
import dev.weft.transport.seal.SealedChannel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The driver's protocol handler for one authenticated connection: registration, task status, heartbeats and
 * the executor's requests. It sits behind {@code ServerAuthHandler}, so it never sees unauthenticated frames.
 *
 * <p>One instance per channel. Frames and the heartbeat check run on the channel's event loop, so the
 * {@link DriverEndpoint.Handler} callbacks for one executor arrive in order: registered, task outcomes, lost.
 * Requests are answered on the endpoint's request threads, which may write to the channel directly.
 */
final class ExecutorConnectionHandler extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(ExecutorConnectionHandler.class);

    private final DriverEndpoint endpoint;
    private ExecutorConnection connection;

    ExecutorConnectionHandler(DriverEndpoint endpoint) {
        this.endpoint = endpoint;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        Envelope env = (Envelope) msg;
        if (connection != null && connection.isLost()) {
            return; // declared lost (heartbeat timeout); the scheduler has already re-run its tasks
        }
        if (connection == null && env.getBodyCase() != Envelope.BodyCase.REGISTER_EXECUTOR) {
            refuse(ctx, ErrorCode.NOT_REGISTERED, "sent " + env.getBodyCase() + " before registering");
            return;
        }
        switch (env.getBodyCase()) {
            case REGISTER_EXECUTOR -> register(ctx, env.getRegisterExecutor());
            case STATUS_UPDATE -> statusUpdate(env.getStatusUpdate());
            case HEARTBEAT -> connection.heartbeat(System.nanoTime());
            case GET_MAP_STATUSES -> mapStatuses(ctx, env.getGetMapStatuses());
            case GET_BROADCAST -> broadcast(ctx, env.getGetBroadcast());
            case ASK_COMMIT -> askCommit(ctx, env.getAskCommit());
            default -> protocolViolation(ctx, "an executor may not send " + env.getBodyCase());
        }
    }

    private void register(ChannelHandlerContext ctx, RegisterExecutor r) {
        if (connection != null) {
            protocolViolation(ctx, "executor " + connection.executorId + " registered twice");
            return;
        }
        if (r.getProtocolVersion() != ProtocolVersion.CURRENT) {
            refuse(
                    ctx,
                    ErrorCode.PROTOCOL_VERSION_MISMATCH,
                    "registers with protocol version " + r.getProtocolVersion() + ", the driver speaks "
                            + ProtocolVersion.CURRENT);
            return;
        }
        if (r.getExecutorId().isEmpty() || r.getCores() <= 0) {
            protocolViolation(
                    ctx, "invalid registration: executor id '" + r.getExecutorId() + "', cores " + r.getCores());
            return;
        }
        String refusal = endpoint.refusal(r.getExecutorId(), r.getContainerId());
        if (refusal != null) {
            refuse(ctx, ErrorCode.NOT_LAUNCHED, refusal);
            return;
        }
        ExecutorConnection c = new ExecutorConnection(
                r.getExecutorId(), r.getHost(), r.getCores(), r.getContainerId(), ctx.channel(), System.nanoTime());
        if (!endpoint.register(c)) {
            refuse(
                    ctx,
                    ErrorCode.DUPLICATE_EXECUTOR,
                    "registers executor id " + r.getExecutorId() + ", which another live connection already holds");
            return;
        }
        connection = c;
        long intervalMs = endpoint.config().heartbeatInterval().toMillis();
        ctx.writeAndFlush(Envelope.newBuilder()
                .setRegisteredAck(RegisteredAck.newBuilder().setHeartbeatIntervalMs(intervalMs))
                .build());
        // Check at least twice per timeout so that a silent executor is declared lost at most 1.5 timeouts late.
        long checkMs = Math.max(
                1, Math.min(intervalMs, endpoint.config().heartbeatTimeout().toMillis() / 2));
        ctx.executor().scheduleAtFixedRate(() -> checkHeartbeat(ctx), checkMs, checkMs, TimeUnit.MILLISECONDS);
        boolean sealed = SealedChannel.isSealed(ctx.pipeline());
        if (sealed) {
            endpoint.sealedRegistration();
        }
        LOG.info(
                "executor {} registered from {} (host {}, {} cores, container {}, {} connection)",
                c.executorId,
                ctx.channel().remoteAddress(),
                c.host,
                c.cores,
                c.containerId,
                sealed ? "sealed" : "unsealed");
        endpoint.fireRegistered(c);
    }

    private void checkHeartbeat(ChannelHandlerContext ctx) {
        long silent = connection.silentNanos(System.nanoTime());
        long timeout = endpoint.config().heartbeatTimeout().toNanos();
        if (silent > timeout && !connection.isLost()) {
            endpoint.lost(
                    connection,
                    "no heartbeat for " + TimeUnit.NANOSECONDS.toMillis(silent) + " ms (timeout "
                            + TimeUnit.NANOSECONDS.toMillis(timeout) + " ms)");
            ctx.close();
        }
    }

    private void statusUpdate(StatusUpdate u) {
        TaskOutcome outcome;
        try {
            outcome = Messages.deserializeOutcome(u.getOutcome().toByteArray());
        } catch (IOException | RuntimeException e) {
            // The task ended but we cannot tell how; failing it lets the scheduler retry instead of waiting forever.
            LOG.error(
                    "executor {}: cannot read the outcome of task {} (error code {}): {}",
                    connection.executorId,
                    u.getTaskId(),
                    u.getErrorCode(),
                    e.toString());
            outcome = new TaskOutcome.ExceptionFailure(
                    unreadableOutcomeCode(u.getErrorCode()),
                    e.getClass().getName(),
                    "the driver cannot read this task's outcome: " + e.getMessage(),
                    "",
                    null,
                    new TaskMetrics());
        }
        endpoint.fireTaskEnded(connection.executorId, u.getTaskId(), outcome);
    }

    /**
     * The code to fail an attempt with whose outcome cannot be read: the executor's own classification when
     * it is one an exception failure may carry (it keeps, say, a result that cannot be serialized from being
     * retried), else {@link WeftError#INTERNAL_ERROR}: a fetch failure without its block ids, a success or an
     * unknown code cannot be acted on as what they were.
     */
    static WeftError unreadableOutcomeCode(int wireCode) {
        return WeftError.fromId(wireCode)
                .filter(c -> c.category() == ErrorCategory.USER
                        || c.category() == ErrorCategory.RESOURCE
                        || c.category() == ErrorCategory.INTERNAL)
                .orElse(WeftError.INTERNAL_ERROR);
    }

    private void mapStatuses(ChannelHandlerContext ctx, GetMapStatuses req) {
        endpoint.answer(ctx.channel(), req.getRequestId(), () -> {
            MapStatus[] statuses = endpoint.services().mapStatuses(req.getShuffleId());
            if (statuses == null) {
                return Messages.error(
                        req.getRequestId(), ErrorCode.UNKNOWN_SHUFFLE, "unknown shuffle " + req.getShuffleId());
            }
            return Envelope.newBuilder()
                    .setMapStatusesResponse(MapStatusesResponse.newBuilder()
                            .setRequestId(req.getRequestId())
                            .setStatuses(UnsafeByteOperations.unsafeWrap(Messages.serializeMapStatuses(statuses))))
                    .build();
        });
    }

    private void broadcast(ChannelHandlerContext ctx, GetBroadcast req) {
        endpoint.answer(ctx.channel(), req.getRequestId(), () -> {
            byte[] value = endpoint.services().broadcast(req.getBroadcastId());
            if (value == null) {
                return Messages.error(
                        req.getRequestId(),
                        ErrorCode.UNKNOWN_BROADCAST,
                        "broadcast " + req.getBroadcastId() + " is unknown or was destroyed");
            }
            // The store never mutates a value's bytes once put, so they can be sent without a copy.
            return Envelope.newBuilder()
                    .setBroadcastResponse(BroadcastResponse.newBuilder()
                            .setRequestId(req.getRequestId())
                            .setValue(UnsafeByteOperations.unsafeWrap(value)))
                    .build();
        });
    }

    private void askCommit(ChannelHandlerContext ctx, AskCommit req) {
        String executorId = connection.executorId; // the registered id: an executor answers only for its own attempts
        endpoint.answer(ctx.channel(), req.getRequestId(), () -> {
            String refusal =
                    endpoint.services().canCommit(executorId, req.getStageId(), req.getPartition(), req.getTaskId());
            return Envelope.newBuilder()
                    .setCommitDecision(CommitDecision.newBuilder()
                            .setRequestId(req.getRequestId())
                            .setGranted(refusal == null)
                            .setReason(refusal == null ? "" : refusal))
                    .build();
        });
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (connection != null) {
            endpoint.lost(connection, "connection closed");
        }
        ctx.fireChannelInactive();
    }

    private void refuse(ChannelHandlerContext ctx, ErrorCode code, String why) {
        LOG.error("refusing connection from {}: it {} ({})", ctx.channel().remoteAddress(), why, code);
        endpoint.countRefused();
        ctx.writeAndFlush(Messages.error(0, code, why)).addListener(ChannelFutureListener.CLOSE);
    }

    private void protocolViolation(ChannelHandlerContext ctx, String why) {
        LOG.error(
                "closing connection from {}: protocol violation: {}",
                ctx.channel().remoteAddress(),
                why);
        endpoint.countRefused();
        ctx.close();
    }
}
