package dev.weft.transport.client;

import com.google.protobuf.ByteString;
import dev.weft.transport.BlockCorruptionException;
import dev.weft.transport.ErrorCode;
import dev.weft.transport.TransportConfig;
import dev.weft.transport.TransportException;
import dev.weft.transport.auth.AuthSecret;
import dev.weft.transport.proto.AuthChallenge;
import dev.weft.transport.proto.AuthResponse;
import dev.weft.transport.proto.BlockHeader;
import dev.weft.transport.proto.Envelope;
import dev.weft.transport.proto.ErrorResponse;
import dev.weft.transport.proto.FetchBlocks;
import dev.weft.transport.protocol.AuthCodes;
import dev.weft.transport.protocol.Protocol;
import dev.weft.transport.seal.ChannelKeys;
import dev.weft.transport.seal.IntegrityException;
import dev.weft.transport.seal.SealedChannel;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Client side of one connection: answers the auth challenge, verifies the server's proof, then matches block headers
 * and data to pending fetches, verifies each block's CRC32C and completes the fetch futures. The connection is sealed
 * ({@link SealedChannel}) when this client's {@link TransportConfig#integrity()} is on or the server asks for it; a
 * record failing its check fails the connection with {@link ErrorCode#INTEGRITY}. All state is confined to
 * the channel's event loop; {@link BlockClient} posts requests onto it. Futures are completed on the event loop.
 */
final class ClientHandler extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(ClientHandler.class);

    private final String appId;
    private final byte[] secret;
    private final TransportConfig config;
    private final BlockDownloads downloads;
    private final SecureRandom random;
    /** Completed with true once the server proved it knows the secret. */
    final CompletableFuture<Void> authenticated = new CompletableFuture<>();

    private final Map<Long, PendingFetch> pending = new HashMap<>();

    private ChannelHandlerContext ctx;
    private byte[] clientNonce;
    private byte[] serverNonce;
    private boolean seal;
    private BlockAssembly current;
    private TransportException failure;

    ClientHandler(String appId, byte[] secret, TransportConfig config, BlockDownloads downloads, SecureRandom random) {
        this.appId = appId;
        this.secret = secret.clone();
        this.config = config;
        this.downloads = downloads;
        this.random = random;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    /** Event loop: registers and sends a fetch. */
    void send(PendingFetch fetch) {
        if (failure != null) {
            fetch.fail(new TransportException(
                    failure.code(), "connection already failed: " + failure.getMessage(), failure));
            return;
        }
        if (fetch.timeout == null) {
            fetch.timeout = ctx.executor()
                    .schedule(() -> timedOut(fetch), config.fetchTimeout().toMillis(), TimeUnit.MILLISECONDS);
        }
        pending.put(fetch.requestId, fetch);
        FetchBlocks.Builder request = FetchBlocks.newBuilder()
                .setRequestId(fetch.requestId)
                .setAppId(appId)
                .setShuffleId(fetch.shuffleId)
                .setMapId(fetch.mapId)
                .setAttemptId(fetch.attemptId);
        for (int reduceId : fetch.reduceIds) {
            request.addReduceIds(reduceId);
        }
        ctx.writeAndFlush(Protocol.fetch(request.build())).addListener((ChannelFutureListener) f -> {
            if (!f.isSuccess()) {
                failConnection(new TransportException(
                        ErrorCode.CONNECTION_LOST, "cannot send fetch: " + f.cause(), f.cause()));
            }
        });
    }

    private void timedOut(PendingFetch fetch) {
        if (!fetch.future.isDone()) {
            failConnection(new TransportException(
                    ErrorCode.TIMEOUT,
                    String.format(
                            Locale.ROOT,
                            "fetch shuffle=%d map=%d not complete after %d ms",
                            fetch.shuffleId,
                            fetch.mapId,
                            config.fetchTimeout().toMillis())));
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf chunk) {
            try {
                blockData(chunk);
            } finally {
                // Ownership: the decoder retained this slice for us; it is consumed now.
                chunk.release();
            }
            return;
        }
        if (!(msg instanceof Envelope envelope)) {
            ReferenceCountUtil.release(msg);
            failConnection(new TransportException(
                    ErrorCode.CONNECTION_LOST,
                    "unexpected inbound " + msg.getClass().getSimpleName()));
            return;
        }
        if (failure != null) {
            return;
        }
        if (envelope.getProtocolVersion() != Protocol.VERSION) {
            failConnection(new TransportException(
                    ErrorCode.UNSUPPORTED_VERSION, "server speaks protocol " + envelope.getProtocolVersion()));
            return;
        }
        switch (envelope.getBodyCase()) {
            case AUTH_CHALLENGE -> challenge(envelope.getAuthChallenge());
            case AUTH_OK -> authOk(envelope.getAuthOk().getServerMac());
            case BLOCK_HEADER -> blockHeader(envelope.getBlockHeader());
            case ERROR -> error(envelope.getError());
            case AUTH_RESPONSE, FETCH_BLOCKS, BODY_NOT_SET ->
                failConnection(new TransportException(
                        ErrorCode.CONNECTION_LOST, "unexpected message " + envelope.getBodyCase()));
        }
    }

    private void challenge(AuthChallenge challenge) {
        if (serverNonce != null || challenge.getServerNonce().size() != AuthCodes.NONCE_BYTES) {
            failConnection(new TransportException(ErrorCode.CONNECTION_LOST, "unexpected auth challenge"));
            return;
        }
        serverNonce = challenge.getServerNonce().toByteArray();
        clientNonce = AuthCodes.newNonce(random);
        // The server's wish is unauthenticated: honouring it can only add sealing, never take it away.
        seal = config.integrity() || challenge.getIntegrityRequired();
        AuthResponse response = AuthResponse.newBuilder()
                .setAppId(appId)
                .setMac(ByteString.copyFrom(AuthCodes.clientMac(secret, serverNonce, seal, appId)))
                .setClientNonce(ByteString.copyFrom(clientNonce))
                .setSeal(seal)
                .build();
        ctx.writeAndFlush(Protocol.authResponse(response)).addListener(ChannelFutureListener.FIRE_EXCEPTION_ON_FAILURE);
    }

    private void authOk(ByteString serverMac) {
        if (clientNonce == null || authenticated.isDone()) {
            failConnection(new TransportException(ErrorCode.CONNECTION_LOST, "unexpected auth ok"));
            return;
        }
        if (!AuthCodes.matches(AuthCodes.serverMac(secret, clientNonce, serverNonce), serverMac.toByteArray())) {
            failConnection(new TransportException(
                    ErrorCode.AUTH_FAILED, "server could not prove it knows the secret of " + appId));
            return;
        }
        if (seal) {
            SealedChannel.seal(
                    ctx.pipeline(), ChannelKeys.forClient(secret, AuthSecret.SHUFFLE, clientNonce, serverNonce));
        } else {
            SealedChannel.stayPlain(ctx.pipeline());
        }
        authenticated.complete(null);
    }

    private void blockHeader(BlockHeader header) {
        PendingFetch fetch = pending.get(header.getRequestId());
        if (fetch == null || fetch.allHeadersSeen() || fetch.reduceIds[fetch.headersSeen] != header.getReduceId()) {
            failConnection(new TransportException(
                    ErrorCode.CONNECTION_LOST,
                    "unexpected block header " + header.getRequestId() + "/" + header.getReduceId()));
            return;
        }
        fetch.headersSeen++;
        boolean keep = !fetch.future.isDone();
        if (keep && downloads.toDisk(header.getLength())) {
            try {
                current = BlockAssembly.toFile(
                        fetch, header.getReduceId(), header.getLength(), header.getCrc32C(), downloads);
                if (header.getLength() == 0) {
                    blockDone();
                }
                return;
            } catch (IOException e) {
                fetch.fail(new TransportException(
                        ErrorCode.INTERNAL,
                        "cannot create a file for a fetched block under " + downloads.dir() + ": " + e.getMessage(),
                        e));
                keep = false; // drained
            }
        }
        if (keep && header.getLength() > config.maxInMemoryBlockBytes()) {
            fetch.fail(new TransportException(
                    ErrorCode.BLOCK_TOO_LARGE,
                    String.format(
                            Locale.ROOT,
                            "block shuffle=%d map=%d reduce=%d has %d bytes, limit %d",
                            fetch.shuffleId,
                            fetch.mapId,
                            header.getReduceId(),
                            header.getLength(),
                            config.maxInMemoryBlockBytes())));
            keep = false;
        }
        current = new BlockAssembly(fetch, header.getReduceId(), header.getLength(), header.getCrc32C(), keep);
        if (header.getLength() == 0) {
            blockDone();
        }
    }

    private void blockData(ByteBuf chunk) {
        if (current == null) {
            failConnection(new TransportException(ErrorCode.CONNECTION_LOST, "block data without header"));
            return;
        }
        current.append(chunk);
        if (current.complete()) {
            blockDone();
        }
    }

    private void blockDone() {
        BlockAssembly block = current;
        current = null;
        PendingFetch fetch = block.fetch;
        if (block.kept() && fetch.future.isDone()) {
            block.discard(); // the fetch failed or was abandoned while its block arrived
        } else if (block.kept()) {
            if (block.actualCrc() != block.expectedCrc) {
                block.discard();
                fetch.fail(new BlockCorruptionException(
                        fetch.shuffleId,
                        fetch.mapId,
                        fetch.attemptId,
                        block.reduceId,
                        block.expectedCrc,
                        block.actualCrc()));
            } else {
                try {
                    fetch.blocks.add(block.toBlock(fetch.shuffleId, fetch.mapId, fetch.attemptId));
                } catch (IOException e) {
                    block.discard();
                    fetch.fail(new TransportException(
                            ErrorCode.INTERNAL, "cannot finish a fetched block's file: " + e.getMessage(), e));
                }
            }
        }
        if (fetch.allHeadersSeen()) {
            pending.remove(fetch.requestId);
            if (!fetch.future.isDone()) {
                fetch.succeed();
            }
        }
    }

    private void error(ErrorResponse error) {
        ErrorCode code = Protocol.fromWire(error.getCode());
        PendingFetch fetch = error.getRequestId() == 0 ? null : pending.get(error.getRequestId());
        if (fetch == null) {
            failConnection(new TransportException(code, "server closed the connection: " + error.getMessage()));
            return;
        }
        if (fetch.headersSeen > 0) {
            failConnection(new TransportException(
                    ErrorCode.CONNECTION_LOST, "error after block data of request " + error.getRequestId()));
            return;
        }
        pending.remove(fetch.requestId);
        if (code == ErrorCode.BUSY && fetch.busyRetries < config.maxBusyRetries()) {
            fetch.busyRetries++;
            long delay = Math.max(1, error.getRetryAfterMs()) * fetch.busyRetries;
            LOG.debug("fetch {} busy, retry {} in {} ms", fetch.requestId, fetch.busyRetries, delay);
            ctx.executor().schedule(() -> send(fetch), delay, TimeUnit.MILLISECONDS);
            return;
        }
        fetch.fail(new TransportException(code, error.getMessage(), error.getRetryAfterMs(), null));
    }

    /** Fails the connection and everything on it with {@code e}, then closes it. Idempotent. */
    void failConnection(TransportException e) {
        if (failure == null) {
            failure = e;
            if (authenticated.isDone()) {
                LOG.debug("connection to {} failed: {}", ctx.channel().remoteAddress(), e.getMessage());
            }
        }
        authenticated.completeExceptionally(failure);
        if (current != null) {
            current.discard();
            current = null;
        }
        for (PendingFetch fetch : new ArrayList<>(pending.values())) {
            fetch.fail(failure);
        }
        pending.clear();
        ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        failConnection(new TransportException(
                ErrorCode.CONNECTION_LOST, "connection to " + ctx.channel().remoteAddress() + " closed"));
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof IntegrityException) {
            failConnection(new TransportException(
                    ErrorCode.INTEGRITY,
                    "data from " + ctx.channel().remoteAddress() + " failed its integrity check: " + cause.getMessage(),
                    cause));
            return;
        }
        String what = cause instanceof DecoderException ? "bad frame from server: " : "connection failed: ";
        failConnection(new TransportException(ErrorCode.CONNECTION_LOST, what + cause, cause));
    }
}
