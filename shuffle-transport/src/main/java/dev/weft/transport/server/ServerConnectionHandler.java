package dev.weft.transport.server;

import com.google.protobuf.ByteString;
import dev.weft.transport.ErrorCode;
import dev.weft.transport.RateLimitedLog;
import dev.weft.transport.SecretStore;
import dev.weft.transport.TransportConfig;
import dev.weft.transport.TransportException;
import dev.weft.transport.TransportMetrics;
import dev.weft.transport.auth.AuthSecret;
import dev.weft.transport.proto.AuthChallenge;
import dev.weft.transport.proto.AuthOk;
import dev.weft.transport.proto.AuthResponse;
import dev.weft.transport.proto.BlockHeader;
import dev.weft.transport.proto.Envelope;
import dev.weft.transport.proto.FetchBlocks;
import dev.weft.transport.protocol.AuthCodes;
import dev.weft.transport.protocol.FrameDecoder;
import dev.weft.transport.protocol.Protocol;
import dev.weft.transport.seal.ChannelKeys;
import dev.weft.transport.seal.IntegrityException;
import dev.weft.transport.seal.SealedChannel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.stream.ChunkedWriteHandler;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves one connection: authentication, then fetch requests. One instance per channel; every field is confined to
 * the channel's event loop (disk work runs on the disk executor and hops back with {@code ctx.executor()}).
 *
 * <p>Connection-level violations (bad frame, wrong version, unknown app, bad MAC, fetch before auth, fetch for
 * another app, unexpected message) get one typed error, one log line, and the connection is closed. Request-level
 * failures (block not found, out of range, busy, internal) get an error for that request and the connection stays.
 *
 * <p>Before authentication a connection holds a place in the server's {@link ConnectionGate} (it is closed at once
 * when there is none), may send only small frames, and is closed when it has not authenticated within the auth
 * timeout, whatever it sends meanwhile. The client's proof says whether it seals the connection ({@link SealedChannel});
 * with {@link TransportConfig#integrity()} a client that does not is refused (SEALING_REQUIRED). A sealed connection
 * sends block data as buffers read from the file (no {@code sendfile}), since every byte goes through the sealer. A
 * record that fails its integrity check closes the connection with INTEGRITY. After authentication, a request whose blocks the peer has not taken within the stall
 * timeout closes the connection, which releases the request's open file and byte budget.
 */
final class ServerConnectionHandler extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(ServerConnectionHandler.class);
    /** Refused connections come in floods: one line per interval at most, with the count of those left out. */
    private static final RateLimitedLog LOG_REFUSED = new RateLimitedLog(LOG, 10_000);
    /** Block data of a sealed connection is read in chunks of one record each. */
    private static final int SEALED_CHUNK_BYTES = 64 * 1024;

    private final SecretStore secrets;
    private final BlockOpener opener;
    private final Executor diskExecutor;
    private final InFlightBudget serverBudget;
    private final TransportConfig config;
    private final TransportMetrics metrics;
    private final SecureRandom random;
    private final ConnectionGate gate;
    /** Stands in for the secret of an application this server does not know, so that refusing it costs the same. */
    private final byte[] unknownAppSecret;

    private byte[] serverNonce;
    /** The remote address while the connection holds a place in the gate; null before and after. */
    private String gatedAddress;

    private ScheduledFuture<?> authDeadline;
    private String appId;
    private boolean sealed;
    private boolean closing;
    private int streamsInFlight;
    private long bytesInFlight;

    ServerConnectionHandler(
            SecretStore secrets,
            BlockOpener opener,
            Executor diskExecutor,
            InFlightBudget serverBudget,
            TransportConfig config,
            TransportMetrics metrics,
            SecureRandom random,
            ConnectionGate gate) {
        this.secrets = secrets;
        this.opener = opener;
        this.diskExecutor = diskExecutor;
        this.serverBudget = serverBudget;
        this.config = config;
        this.metrics = metrics;
        this.random = random;
        this.gate = gate;
        this.unknownAppSecret = new byte[32];
        random.nextBytes(unknownAppSecret);
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        metrics.connectionOpened();
        String address = remoteHost(ctx);
        String refused = gate.tryAdmit(address);
        if (refused != null) {
            metrics.connectionRefused();
            closing = true;
            LOG_REFUSED.log(() -> "refusing connection from " + address + ": " + refused);
            ctx.close();
            return;
        }
        gatedAddress = address;
        long authTimeoutMs = config.authTimeout().toMillis();
        authDeadline = ctx.executor()
                .schedule(
                        () -> {
                            if (appId == null && !closing) {
                                metrics.authTimedOut();
                                closeWithError(
                                        ctx,
                                        ErrorCode.NOT_AUTHENTICATED,
                                        "no authentication within " + authTimeoutMs + " ms");
                            }
                        },
                        authTimeoutMs,
                        TimeUnit.MILLISECONDS);
        serverNonce = AuthCodes.newNonce(random);
        ctx.writeAndFlush(Protocol.challenge(AuthChallenge.newBuilder()
                        .setServerNonce(ByteString.copyFrom(serverNonce))
                        .setIntegrityRequired(config.integrity())
                        .build()))
                .addListener(ChannelFutureListener.FIRE_EXCEPTION_ON_FAILURE);
        ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        metrics.connectionClosed();
        leaveGate();
        if (appId != null) {
            metrics.appConnectionClosed(appId);
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof Envelope envelope)) {
            // Ownership: anything else reaching this handler is ours to release; the decoder emits no such thing.
            ReferenceCountUtil.release(msg);
            protocolViolation(ctx, "unexpected inbound " + msg.getClass().getSimpleName());
            return;
        }
        if (closing) {
            return;
        }
        if (envelope.getProtocolVersion() != Protocol.VERSION) {
            closeWithError(
                    ctx,
                    ErrorCode.UNSUPPORTED_VERSION,
                    "protocol version " + envelope.getProtocolVersion() + ", server speaks " + Protocol.VERSION);
            return;
        }
        switch (envelope.getBodyCase()) {
            case AUTH_RESPONSE -> authenticate(ctx, envelope.getAuthResponse());
            case FETCH_BLOCKS -> fetch(ctx, envelope.getFetchBlocks());
            case AUTH_CHALLENGE, AUTH_OK, BLOCK_HEADER, ERROR, BODY_NOT_SET ->
                protocolViolation(ctx, "unexpected message " + envelope.getBodyCase());
        }
    }

    private void authenticate(ChannelHandlerContext ctx, AuthResponse response) {
        if (appId != null) {
            protocolViolation(ctx, "second authentication");
            return;
        }
        if (response.getClientNonce().size() != AuthCodes.NONCE_BYTES) {
            protocolViolation(
                    ctx, "client nonce of " + response.getClientNonce().size() + " bytes");
            return;
        }
        byte[] secret = secrets.secret(response.getAppId());
        // An unknown application gets the same reply, after the same work, as a wrong proof: a peer without a
        // secret cannot learn which applications this node serves. Only the log says which it was.
        boolean known = secret != null;
        byte[] expected = AuthCodes.clientMac(
                known ? secret : unknownAppSecret, serverNonce, response.getSeal(), response.getAppId());
        if (!AuthCodes.matches(expected, response.getMac().toByteArray()) || !known) {
            metrics.authFailed();
            closeWithError(
                    ctx,
                    ErrorCode.AUTH_FAILED,
                    "authentication failed for app " + response.getAppId(),
                    known ? "wrong proof" : "unknown app");
            return;
        }
        if (config.integrity() && !response.getSeal()) {
            metrics.authFailed();
            closeWithError(
                    ctx,
                    ErrorCode.SEALING_REQUIRED,
                    "this shuffle service accepts sealed connections only (" + TransportConfig.INTEGRITY
                            + "); the client of app " + response.getAppId() + " did not seal");
            return;
        }
        appId = response.getAppId();
        leaveGate();
        FrameDecoder decoder = ctx.pipeline().get(FrameDecoder.class);
        if (decoder != null) {
            decoder.authenticated();
        }
        metrics.authSucceeded(appId);
        byte[] serverMac = AuthCodes.serverMac(secret, response.getClientNonce().toByteArray(), serverNonce);
        ctx.writeAndFlush(Protocol.authOk(AuthOk.newBuilder()
                        .setServerMac(ByteString.copyFrom(serverMac))
                        .build()))
                .addListener(ChannelFutureListener.FIRE_EXCEPTION_ON_FAILURE);
        // AuthOk is on its way in plaintext; everything after it, both ways, is sealed or plain as the client chose.
        if (response.getSeal()) {
            sealed = true;
            SealedChannel.seal(
                    ctx.pipeline(),
                    ChannelKeys.forServer(
                            secret,
                            AuthSecret.SHUFFLE,
                            response.getClientNonce().toByteArray(),
                            serverNonce));
            ctx.pipeline().addAfter(SealedChannel.SEALER, "chunkedWriter", new ChunkedWriteHandler());
        } else {
            SealedChannel.stayPlain(ctx.pipeline());
        }
    }

    private void fetch(ChannelHandlerContext ctx, FetchBlocks request) {
        long startNanos = System.nanoTime();
        if (appId == null) {
            closeWithError(ctx, ErrorCode.NOT_AUTHENTICATED, "fetch before authentication");
            return;
        }
        if (!appId.equals(request.getAppId())) {
            metrics.authFailed();
            closeWithError(
                    ctx, ErrorCode.AUTH_FAILED, "connection of app " + appId + " asked for app " + request.getAppId());
            return;
        }
        String invalid = validate(request);
        if (invalid != null) {
            closeWithError(ctx, ErrorCode.BAD_REQUEST, invalid);
            return;
        }
        if (streamsInFlight >= config.maxStreamsPerConnection()) {
            busy(ctx, request, "streams in flight on this connection: " + streamsInFlight);
            return;
        }
        streamsInFlight++;
        try {
            diskExecutor.execute(() -> openBlocks(ctx, request, startNanos));
        } catch (RejectedExecutionException e) {
            streamsInFlight--;
            busy(ctx, request, "disk queue full");
        }
    }

    private String validate(FetchBlocks request) {
        if (request.getShuffleId() < 0 || request.getMapId() < 0 || request.getAttemptId() < 0) {
            return "negative shuffle, map or attempt id";
        }
        if (request.getReduceIdsCount() == 0 || request.getReduceIdsCount() > config.maxReduceIdsPerRequest()) {
            return "reduce id count " + request.getReduceIdsCount() + " outside [1, " + config.maxReduceIdsPerRequest()
                    + "]";
        }
        return null;
    }

    /** Disk thread. Whatever happens, the stream ends on the event loop (sent or failed), so its count is right. */
    private void openBlocks(ChannelHandlerContext ctx, FetchBlocks request, long startNanos) {
        List<OpenBlock> blocks;
        try {
            blocks = opener.open(appId, request);
        } catch (TransportException e) {
            runOnLoop(ctx, () -> requestFailed(ctx, request, e), null);
            return;
        } catch (Throwable t) {
            // An Error: the opener released what it held; answer the request, then let the disk thread's pool see it.
            TransportException e = new TransportException(ErrorCode.INTERNAL, "cannot open blocks: " + t, t);
            runOnLoop(ctx, () -> requestFailed(ctx, request, e), null);
            throw t;
        }
        runOnLoop(ctx, () -> send(ctx, request, blocks, startNanos), blocks);
    }

    /** Disk thread: hands work back to the event loop; if that loop is gone (server closing) drops it. */
    private static void runOnLoop(ChannelHandlerContext ctx, Runnable task, List<OpenBlock> ownedBlocks) {
        try {
            ctx.executor().execute(task);
        } catch (RejectedExecutionException e) {
            if (ownedBlocks != null) {
                BlockOpener.closeAll(ownedBlocks);
            }
        }
    }

    private void requestFailed(ChannelHandlerContext ctx, FetchBlocks request, TransportException e) {
        streamsInFlight--;
        if (e.code() == ErrorCode.BUSY) {
            busy(ctx, request, e.getMessage());
            return;
        }
        metrics.errorSent(e.code());
        LOG.debug(
                "fetch {} of app {} from {} failed: {}",
                request.getRequestId(),
                appId,
                ctx.channel().remoteAddress(),
                e.getMessage());
        ctx.writeAndFlush(Protocol.error(request.getRequestId(), e.code(), e.getMessage(), 0));
    }

    private void send(ChannelHandlerContext ctx, FetchBlocks request, List<OpenBlock> blocks, long startNanos) {
        long total = 0;
        for (OpenBlock block : blocks) {
            total += block.length();
        }
        if (!tryAcquire(total)) {
            BlockOpener.closeAll(blocks);
            streamsInFlight--;
            busy(ctx, request, "bytes in flight: connection " + bytesInFlight + ", server " + serverBudget.used());
            return;
        }
        long acquired = total;
        ChannelFuture last = null;
        for (OpenBlock block : blocks) {
            BlockHeader header = BlockHeader.newBuilder()
                    .setRequestId(request.getRequestId())
                    .setReduceId(block.reduceId())
                    .setLength(block.length())
                    .setCrc32C(block.crc32c())
                    .build();
            last = ctx.write(Protocol.blockHeader(header));
            if (block.file() != null && sealed) {
                // Ownership: the chunks take the block's reference and drop it when the chunked writer closes them.
                last = ctx.write(block.file().chunks(block.offset(), block.length(), SEALED_CHUNK_BYTES));
            } else if (block.file() != null) {
                // Ownership: the region takes the block's reference to the shared data file and drops it when Netty
                // releases the region after the write.
                last = ctx.write(block.file().region(block.offset(), block.length()));
            }
        }
        int blockCount = blocks.size();
        ChannelFuture sent = last;
        long stallMs = config.stallTimeout().toMillis();
        ScheduledFuture<?> stall = ctx.executor()
                .schedule(
                        () -> {
                            if (!sent.isDone() && !closing) {
                                closing = true;
                                metrics.connectionStalled();
                                LOG.info(
                                        "closing connection from {} (app {}): it took no blocks of request {} for {}"
                                                + " ms",
                                        ctx.channel().remoteAddress(),
                                        appId,
                                        request.getRequestId(),
                                        stallMs);
                                ctx.close();
                            }
                        },
                        stallMs,
                        TimeUnit.MILLISECONDS);
        last.addListener((ChannelFutureListener) future -> {
            stall.cancel(false);
            release(acquired);
            streamsInFlight--;
            if (future.isSuccess()) {
                for (OpenBlock block : blocks) {
                    metrics.blockServed(block.length());
                }
                metrics.fetchServed(System.nanoTime() - startNanos);
            } else {
                LOG.debug(
                        "sending {} blocks to {} failed: {}",
                        blockCount,
                        ctx.channel().remoteAddress(),
                        future.cause().toString());
            }
        });
        ctx.flush();
    }

    private boolean tryAcquire(long bytes) {
        if (bytesInFlight > 0 && bytesInFlight + bytes > config.maxBytesInFlightPerConnection()) {
            return false;
        }
        if (!serverBudget.tryAcquire(appId, bytes)) {
            return false;
        }
        bytesInFlight += bytes;
        return true;
    }

    private void release(long bytes) {
        bytesInFlight -= bytes;
        serverBudget.release(appId, bytes);
    }

    private void busy(ChannelHandlerContext ctx, FetchBlocks request, String reason) {
        metrics.busyRejected();
        metrics.errorSent(ErrorCode.BUSY);
        ctx.writeAndFlush(Protocol.error(
                request.getRequestId(),
                ErrorCode.BUSY,
                reason,
                config.busyRetryAfter().toMillis()));
    }

    private void protocolViolation(ChannelHandlerContext ctx, String reason) {
        metrics.protocolError();
        closeWithError(ctx, ErrorCode.BAD_REQUEST, reason);
    }

    /** Sends one error, then closes; everything read afterwards is dropped. */
    private void closeWithError(ChannelHandlerContext ctx, ErrorCode code, String reason) {
        closeWithError(ctx, code, reason, null);
    }

    /** Like {@link #closeWithError(ChannelHandlerContext, ErrorCode, String)}; {@code detail} goes to the log only. */
    private void closeWithError(ChannelHandlerContext ctx, ErrorCode code, String reason, String detail) {
        if (closing) {
            return;
        }
        closing = true;
        ctx.channel().config().setAutoRead(false);
        metrics.errorSent(code);
        if (appId == null) {
            // Before authentication anybody can cause this, as often as they like.
            String from = String.valueOf(ctx.channel().remoteAddress());
            String logged = detail == null ? reason : reason + " (" + detail + ")";
            LOG_REFUSED.log(() -> "closing unauthenticated connection from " + from + ": " + code + " " + logged);
        } else {
            LOG.info("closing connection from {} (app {}): {} {}", ctx.channel().remoteAddress(), appId, code, reason);
        }
        ctx.writeAndFlush(Protocol.error(0, code, reason, 0)).addListener(ChannelFutureListener.CLOSE);
    }

    private void leaveGate() {
        if (gatedAddress != null) {
            gate.leave(gatedAddress);
            gatedAddress = null;
        }
        if (authDeadline != null) {
            authDeadline.cancel(false);
            authDeadline = null;
        }
    }

    private static String remoteHost(ChannelHandlerContext ctx) {
        return ctx.channel().remoteAddress() instanceof InetSocketAddress a
                ? a.getAddress() == null ? a.getHostString() : a.getAddress().getHostAddress()
                : String.valueOf(ctx.channel().remoteAddress());
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof IntegrityException) {
            metrics.protocolError();
            closeWithError(ctx, ErrorCode.INTEGRITY, cause.getMessage());
        } else if (cause instanceof DecoderException) {
            protocolViolation(ctx, "bad frame: " + cause.getMessage());
        } else if (!closing) {
            closing = true;
            LOG.debug("connection from {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
            ctx.close();
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent && streamsInFlight == 0 && !closing) {
            closing = true;
            LOG.debug("closing idle connection from {}", ctx.channel().remoteAddress());
            ctx.close();
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }
}
