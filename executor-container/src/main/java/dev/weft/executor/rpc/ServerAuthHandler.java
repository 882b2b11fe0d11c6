package dev.weft.executor.rpc;

import com.google.protobuf.ByteString;
import dev.weft.executor.proto.AuthChallenge;
import dev.weft.executor.proto.AuthResponse;
import dev.weft.executor.proto.AuthResult;
import dev.weft.executor.proto.Envelope;
import dev.weft.executor.proto.ErrorCode;
import dev.weft.transport.RateLimitedLog;
import dev.weft.transport.auth.AuthSecret;
import dev.weft.transport.seal.ChannelKeys;
import dev.weft.transport.seal.SealedChannel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The driver's half of the handshake. On connect it sends a fresh nonce; the only frame it accepts is an
 * {@link AuthResponse} with the matching proof. Then it answers with its own proof and removes itself, so
 * the protocol handlers behind it only ever see authenticated traffic. The executor's proof says whether it seals the
 * connection ({@link SealedChannel}, which must be installed in front); a driver that requires integrity refuses one
 * that does not (SEALING_REQUIRED). Anything else (a wrong proof, another
 * message first, a version mismatch, silence past the timeout) is logged, counted and closes the connection.
 *
 * <p>One instance per channel; all methods run on the channel's event loop.
 */
public final class ServerAuthHandler extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(ServerAuthHandler.class);
    /** Anybody who can reach the port can cause a refusal, as often as they like: one line per 10 s at most. */
    private static final RateLimitedLog REFUSALS = new RateLimitedLog(LOG, 10_000);

    private final AuthSecret secret;
    private final Duration timeout;
    private final LongAdder refused;
    private final boolean integrityRequired;
    private byte[] serverNonce;
    private ScheduledFuture<?> timeoutTask;
    private boolean done;

    /**
     * @param refused incremented once for every connection refused by this handler
     * @param integrityRequired refuse executors that do not seal the connection
     */
    public ServerAuthHandler(AuthSecret secret, Duration timeout, LongAdder refused, boolean integrityRequired) {
        this.secret = Objects.requireNonNull(secret, "secret is null");
        this.timeout = Objects.requireNonNull(timeout, "timeout is null");
        this.refused = Objects.requireNonNull(refused, "refused is null");
        this.integrityRequired = integrityRequired;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        serverNonce = HmacAuth.nonce();
        ctx.writeAndFlush(Envelope.newBuilder()
                .setAuthChallenge(AuthChallenge.newBuilder()
                        .setProtocolVersion(ProtocolVersion.CURRENT)
                        .setServerNonce(ByteString.copyFrom(serverNonce))
                        .setIntegrityRequired(integrityRequired))
                .build());
        timeoutTask = ctx.executor()
                .schedule(
                        () -> refuse(
                                ctx,
                                ErrorCode.AUTH_FAILED,
                                "did not authenticate within " + timeout.toMillis() + " ms"),
                        timeout.toMillis(),
                        TimeUnit.MILLISECONDS);
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (done) {
            return; // refused; the close is in progress and nothing more may reach the protocol handlers
        }
        if (!(msg instanceof Envelope env) || env.getBodyCase() != Envelope.BodyCase.AUTH_RESPONSE) {
            String what = msg instanceof Envelope env
                    ? env.getBodyCase().name()
                    : msg.getClass().getSimpleName();
            refuse(ctx, ErrorCode.AUTH_FAILED, "sent " + what + " before authenticating");
            return;
        }
        AuthResponse response = env.getAuthResponse();
        if (response.getProtocolVersion() != ProtocolVersion.CURRENT) {
            refuse(
                    ctx,
                    ErrorCode.PROTOCOL_VERSION_MISMATCH,
                    "speaks protocol version " + response.getProtocolVersion() + ", the driver "
                            + ProtocolVersion.CURRENT);
            return;
        }
        byte[] clientNonce = response.getClientNonce().toByteArray();
        if (clientNonce.length != HmacAuth.NONCE_BYTES) {
            refuse(ctx, ErrorCode.AUTH_FAILED, "sent a nonce of " + clientNonce.length + " bytes");
            return;
        }
        byte[] expected = HmacAuth.clientProof(secret, serverNonce, clientNonce, response.getSeal());
        if (!HmacAuth.matches(expected, response.getClientProof().toByteArray())) {
            refuse(ctx, ErrorCode.AUTH_FAILED, "failed authentication (wrong secret)");
            return;
        }
        if (integrityRequired && !response.getSeal()) {
            refuse(ctx, ErrorCode.SEALING_REQUIRED, "did not seal the connection, which this driver requires");
            return;
        }
        done = true;
        timeoutTask.cancel(false);
        ctx.writeAndFlush(Envelope.newBuilder()
                .setAuthResult(AuthResult.newBuilder()
                        .setOk(true)
                        .setServerProof(ByteString.copyFrom(HmacAuth.serverProof(secret, clientNonce, serverNonce))))
                .build());
        // AuthResult is on its way in plaintext; what follows, both ways, is sealed or plain as the executor chose.
        if (response.getSeal()) {
            SealedChannel.seal(
                    ctx.pipeline(), ChannelKeys.forServer(secret.bytes(), AuthSecret.RPC, clientNonce, serverNonce));
        } else {
            SealedChannel.stayPlain(ctx.pipeline());
        }
        LOG.debug(
                "connection from {} authenticated{}",
                ctx.channel().remoteAddress(),
                response.getSeal() ? " and sealed" : "");
        FrameCodec.authenticated(ctx.pipeline());
        ctx.pipeline().remove(this);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (timeoutTask != null) {
            timeoutTask.cancel(false);
        }
        ctx.fireChannelInactive();
    }

    private void refuse(ChannelHandlerContext ctx, ErrorCode code, String why) {
        if (done) {
            return;
        }
        done = true;
        if (timeoutTask != null) {
            timeoutTask.cancel(false);
        }
        refused.increment();
        String from = String.valueOf(ctx.channel().remoteAddress());
        REFUSALS.log(() -> "refusing connection from " + from + ": it " + why + " (" + code + ")");
        // The result tells an honest but misconfigured executor why; it carries no proof.
        ctx.writeAndFlush(Envelope.newBuilder()
                        .setAuthResult(AuthResult.newBuilder().setOk(false).setError(code))
                        .build())
                .addListener(ChannelFutureListener.CLOSE);
    }
}
