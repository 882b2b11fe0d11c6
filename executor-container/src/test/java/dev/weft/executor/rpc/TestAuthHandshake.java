package dev.weft.executor.rpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.weft.executor.proto.AuthResponse;
import dev.weft.executor.proto.Envelope;
import dev.weft.executor.proto.ErrorCode;
import dev.weft.executor.proto.Heartbeat;
import dev.weft.transport.auth.AuthSecret;
import dev.weft.transport.seal.RecordOpener;
import io.netty.channel.embedded.EmbeddedChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;

/** The handshake on two EmbeddedChannels, with messages carried between them by hand (no codec needed). */
class TestAuthHandshake {
    private static final AuthSecret SECRET = AuthSecret.random();

    private final LongAdder refused = new LongAdder();

    private EmbeddedChannel server(AuthSecret secret) {
        return new EmbeddedChannel(opener(), new ServerAuthHandler(secret, Duration.ofSeconds(30), refused, false));
    }

    /** The handshake's first handler; envelope objects pass it untouched (it cuts only byte buffers). */
    private static RecordOpener opener() {
        return new RecordOpener(FrameCodec.MAX_PRE_AUTH_FRAME_BYTES);
    }

    /** Delivers everything {@code from} wrote to {@code to}; returns what was delivered. */
    private static List<Envelope> deliver(EmbeddedChannel from, EmbeddedChannel to) {
        List<Envelope> sent = new ArrayList<>();
        for (Envelope e; (e = from.readOutbound()) != null; ) {
            sent.add(e);
            to.writeInbound(e);
        }
        return sent;
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    @Test
    void sameSecretAuthenticatesBothSidesWithoutSendingIt() throws Exception {
        EmbeddedChannel server = server(SECRET);
        ClientAuthHandler clientAuth = new ClientAuthHandler(SECRET, false);
        EmbeddedChannel client = new EmbeddedChannel(opener(), clientAuth);

        List<Envelope> all = new ArrayList<>(deliver(server, client)); // challenge
        all.addAll(deliver(client, server)); // response
        all.addAll(deliver(server, client)); // result

        clientAuth.authenticated().get(1, TimeUnit.SECONDS);
        assertNull(server.pipeline().get(ServerAuthHandler.class), "the server handler removed itself");
        assertNull(client.pipeline().get(ClientAuthHandler.class));
        assertEquals(0, refused.sum());
        assertEquals(3, all.size());
        for (Envelope e : all) {
            assertFalse(contains(e.toByteArray(), SECRET.bytes()), "the secret never travels");
        }
        // After the handshake frames pass straight through to the protocol handlers.
        Envelope hb = Envelope.newBuilder()
                .setHeartbeat(Heartbeat.newBuilder().setExecutorId("e"))
                .build();
        server.writeInbound(hb);
        assertEquals(hb, server.readInbound());
        assertTrue(server.isOpen() && client.isOpen());
    }

    @Test
    void wrongSecretIsRefusedCountedAndClosed() {
        EmbeddedChannel server = server(SECRET);
        ClientAuthHandler clientAuth = new ClientAuthHandler(AuthSecret.random(), false);
        EmbeddedChannel client = new EmbeddedChannel(opener(), clientAuth);
        deliver(server, client);
        deliver(client, server);
        assertFalse(server.isOpen());
        assertEquals(1, refused.sum());
        deliver(server, client); // the refusal
        ExecutionException e = assertThrows(
                ExecutionException.class, () -> clientAuth.authenticated().get(1, TimeUnit.SECONDS));
        assertEquals(ErrorCode.AUTH_FAILED, ((AuthException) e.getCause()).code());
    }

    @Test
    void anythingBeforeAuthenticationIsRefused() {
        EmbeddedChannel server = server(SECRET);
        server.readOutbound(); // challenge, ignored by this intruder
        server.writeInbound(Envelope.newBuilder()
                .setHeartbeat(Heartbeat.newBuilder().setExecutorId("x"))
                .build());
        assertNull(server.readInbound(), "nothing reaches the protocol handlers");
        assertFalse(server.isOpen());
        assertEquals(1, refused.sum());
        Envelope result = server.readOutbound();
        assertFalse(result.getAuthResult().getOk());
        assertEquals(ErrorCode.AUTH_FAILED, result.getAuthResult().getError());
    }

    @Test
    void replayedProofForAnotherChallengeIsRefused() {
        // A proof recorded from one connection must not open another: the server's nonce differs.
        EmbeddedChannel first = server(SECRET);
        EmbeddedChannel client = new EmbeddedChannel(opener(), new ClientAuthHandler(SECRET, false));
        deliver(first, client);
        Envelope recorded = client.readOutbound();

        EmbeddedChannel second = server(SECRET);
        Envelope otherChallenge = second.readOutbound();
        assertNotEquals(
                recorded.getAuthResponse().getClientNonce(),
                otherChallenge.getAuthChallenge().getServerNonce());
        second.writeInbound(recorded);
        assertFalse(second.isOpen());
        assertEquals(1, refused.sum());
    }

    @Test
    void versionMismatchIsRefusedWithItsCode() {
        EmbeddedChannel server = server(SECRET);
        Envelope challenge = server.readOutbound();
        byte[] clientNonce = HmacAuth.nonce();
        byte[] serverNonce = challenge.getAuthChallenge().getServerNonce().toByteArray();
        server.writeInbound(Envelope.newBuilder()
                .setAuthResponse(AuthResponse.newBuilder()
                        .setProtocolVersion(ProtocolVersion.CURRENT + 1)
                        .setClientNonce(ByteString.copyFrom(clientNonce))
                        .setClientProof(
                                ByteString.copyFrom(HmacAuth.clientProof(SECRET, serverNonce, clientNonce, false))))
                .build());
        Envelope result = server.readOutbound();
        assertEquals(ErrorCode.PROTOCOL_VERSION_MISMATCH, result.getAuthResult().getError());
        assertFalse(server.isOpen());
    }

    @Test
    void driverRequiringIntegrityRefusesAnExecutorThatDoesNotSeal() {
        EmbeddedChannel server =
                new EmbeddedChannel(opener(), new ServerAuthHandler(SECRET, Duration.ofSeconds(30), refused, true));
        Envelope challenge = server.readOutbound();
        assertTrue(challenge.getAuthChallenge().getIntegrityRequired(), "the driver announces it");
        byte[] clientNonce = HmacAuth.nonce();
        byte[] serverNonce = challenge.getAuthChallenge().getServerNonce().toByteArray();
        server.writeInbound(plainResponse(clientNonce, HmacAuth.clientProof(SECRET, serverNonce, clientNonce, false)));
        Envelope result = server.readOutbound();
        assertFalse(result.getAuthResult().getOk());
        assertEquals(ErrorCode.SEALING_REQUIRED, result.getAuthResult().getError());
        assertFalse(server.isOpen());
        assertEquals(1, refused.sum());
    }

    @Test
    void aSealFlagClearedOnTheWayFailsTheProof() {
        // A man in the middle turning an executor's seal=true into false breaks the proof, which covers the flag.
        EmbeddedChannel server = server(SECRET);
        Envelope challenge = server.readOutbound();
        byte[] clientNonce = HmacAuth.nonce();
        byte[] serverNonce = challenge.getAuthChallenge().getServerNonce().toByteArray();
        server.writeInbound(plainResponse(clientNonce, HmacAuth.clientProof(SECRET, serverNonce, clientNonce, true)));
        Envelope result = server.readOutbound();
        assertEquals(ErrorCode.AUTH_FAILED, result.getAuthResult().getError());
        assertFalse(server.isOpen());
    }

    private static Envelope plainResponse(byte[] clientNonce, byte[] proof) {
        return Envelope.newBuilder()
                .setAuthResponse(AuthResponse.newBuilder()
                        .setProtocolVersion(ProtocolVersion.CURRENT)
                        .setClientNonce(ByteString.copyFrom(clientNonce))
                        .setClientProof(ByteString.copyFrom(proof))
                        .setSeal(false))
                .build();
    }

    @Test
    void clientRejectsADriverThatDoesNotKnowTheSecret() {
        ClientAuthHandler clientAuth = new ClientAuthHandler(SECRET, false);
        EmbeddedChannel client = new EmbeddedChannel(opener(), clientAuth);
        EmbeddedChannel fakeDriver = server(AuthSecret.random());
        deliver(fakeDriver, client);
        Envelope response = client.readOutbound();
        // The fake driver accepts anything and answers with a proof made from its own secret.
        fakeDriver.pipeline().remove(ServerAuthHandler.class);
        client.writeInbound(Envelope.newBuilder()
                .setAuthResult(dev.weft.executor.proto.AuthResult.newBuilder()
                        .setOk(true)
                        .setServerProof(ByteString.copyFrom(HmacAuth.serverProof(
                                AuthSecret.random(),
                                response.getAuthResponse().getClientNonce().toByteArray(),
                                new byte[32]))))
                .build());
        ExecutionException e = assertThrows(
                ExecutionException.class, () -> clientAuth.authenticated().get(1, TimeUnit.SECONDS));
        assertInstanceOf(AuthException.class, e.getCause());
        assertFalse(client.isOpen());
    }

    @Test
    void silentConnectionIsClosedAfterTheTimeout() throws Exception {
        EmbeddedChannel server =
                new EmbeddedChannel(opener(), new ServerAuthHandler(SECRET, Duration.ofMillis(50), refused, false));
        Thread.sleep(80);
        server.runPendingTasks();
        assertFalse(server.isOpen());
        assertEquals(1, refused.sum());
    }

    @Test
    void secretParsingNamesTheVariable() {
        assertEquals(SECRET, AuthSecret.fromBase64(SECRET.toBase64()));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> AuthSecret.fromBase64(null))
                .getMessage()
                .contains(AuthSecret.ENV_VAR));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> AuthSecret.fromBase64("%%%"))
                .getMessage()
                .contains(AuthSecret.ENV_VAR));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> AuthSecret.fromBase64("AAAA"))
                .getMessage()
                .contains(AuthSecret.ENV_VAR));
        assertFalse(SECRET.toString().contains(SECRET.toBase64()));
    }
}
