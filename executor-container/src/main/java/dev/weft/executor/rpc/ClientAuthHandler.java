package dev.weft.executor.rpc;

import com.google.protobuf.ByteString;
import dev.weft.executor.proto.AuthChallenge;
import dev.weft.executor.proto.AuthResponse;
import dev.weft.executor.proto.AuthResult;
import dev.weft.executor.proto.Envelope;
import dev.weft.executor.proto.ErrorCode;
import dev.weft.transport.auth.AuthSecret;
import dev.weft.transport.seal.ChannelKeys;
import dev.weft.transport.seal.SealedChannel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * The executor's half of the handshake: answers the driver's challenge with its proof and checks the
 * driver's proof in return, so an executor never runs tasks sent by a party that does not know the secret. It seals
 * the connection ({@link SealedChannel}, installed in front) when its own setting says so or the driver asks for it.
 * On success it removes itself and completes {@link #authenticated()}; on any failure it completes that future
 * exceptionally with an {@link AuthException} and closes the connection.
 *
 * <p>One instance per channel; all methods run on the channel's event loop. The future may be observed
 * from any thread.
 */
public final class ClientAuthHandler extends ChannelInboundHandlerAdapter {
    private final AuthSecret secret;
    private final boolean integrity;
    private final CompletableFuture<Void> authenticated = new CompletableFuture<>();
    private byte[] serverNonce;
    private byte[] clientNonce;
    private boolean seal;

    /** @param integrity seal the connection even when the driver does not ask for it */
    public ClientAuthHandler(AuthSecret secret, boolean integrity) {
        this.secret = Objects.requireNonNull(secret, "secret is null");
        this.integrity = integrity;
    }

    /** Completes once the driver proved itself and accepted this executor's proof. */
    public CompletableFuture<Void> authenticated() {
        return authenticated;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (authenticated.isDone()) {
            return; // failed; the close is in progress
        }
        if (!(msg instanceof Envelope env)) {
            fail(ctx, ErrorCode.AUTH_FAILED, "unexpected " + msg.getClass().getSimpleName() + " during authentication");
            return;
        }
        switch (env.getBodyCase()) {
            case AUTH_CHALLENGE -> answer(ctx, env.getAuthChallenge());
            case AUTH_RESULT -> check(ctx, env.getAuthResult());
            default ->
                fail(ctx, ErrorCode.AUTH_FAILED, "the driver sent " + env.getBodyCase() + " during authentication");
        }
    }

    private void answer(ChannelHandlerContext ctx, AuthChallenge challenge) {
        if (serverNonce != null) {
            fail(ctx, ErrorCode.AUTH_FAILED, "the driver sent a second challenge");
            return;
        }
        if (challenge.getProtocolVersion() != ProtocolVersion.CURRENT) {
            fail(
                    ctx,
                    ErrorCode.PROTOCOL_VERSION_MISMATCH,
                    "the driver speaks protocol version " + challenge.getProtocolVersion() + ", this executor "
                            + ProtocolVersion.CURRENT);
            return;
        }
        serverNonce = challenge.getServerNonce().toByteArray();
        clientNonce = HmacAuth.nonce();
        // The driver's wish is not authenticated: honouring it can only add sealing, never take it away.
        seal = integrity || challenge.getIntegrityRequired();
        ctx.writeAndFlush(Envelope.newBuilder()
                .setAuthResponse(AuthResponse.newBuilder()
                        .setProtocolVersion(ProtocolVersion.CURRENT)
                        .setClientNonce(ByteString.copyFrom(clientNonce))
                        .setClientProof(
                                ByteString.copyFrom(HmacAuth.clientProof(secret, serverNonce, clientNonce, seal)))
                        .setSeal(seal))
                .build());
    }

    private void check(ChannelHandlerContext ctx, AuthResult result) {
        if (!result.getOk() && result.getError() == ErrorCode.SEALING_REQUIRED) {
            fail(
                    ctx,
                    result.getError(),
                    "the driver accepts sealed connections only (weft.rpc.integrity) and this executor did not seal");
            return;
        }
        if (!result.getOk()) {
            fail(
                    ctx,
                    result.getError(),
                    "the driver refused this executor's authentication (" + result.getError() + "); does it hold"
                            + " the application's secret (its container credentials' " + AuthSecret.CREDENTIALS_ALIAS
                            + ", or " + AuthSecret.ENV_VAR + " outside YARN)?");
            return;
        }
        if (clientNonce == null
                || !HmacAuth.matches(
                        HmacAuth.serverProof(secret, clientNonce, serverNonce),
                        result.getServerProof().toByteArray())) {
            fail(ctx, ErrorCode.AUTH_FAILED, "the driver's proof is wrong: it does not know this application's secret");
            return;
        }
        if (seal) {
            SealedChannel.seal(
                    ctx.pipeline(), ChannelKeys.forClient(secret.bytes(), AuthSecret.RPC, clientNonce, serverNonce));
        } else {
            SealedChannel.stayPlain(ctx.pipeline());
        }
        ctx.pipeline().remove(this);
        authenticated.complete(null);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        authenticated.completeExceptionally(
                new AuthException(ErrorCode.AUTH_FAILED, "the driver closed the connection during authentication"));
        ctx.fireChannelInactive();
    }

    private void fail(ChannelHandlerContext ctx, ErrorCode code, String why) {
        authenticated.completeExceptionally(new AuthException(code, why));
        ctx.close();
    }
}
