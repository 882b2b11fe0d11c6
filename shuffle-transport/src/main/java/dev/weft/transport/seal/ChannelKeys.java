package dev.weft.transport.seal;

import dev.weft.transport.auth.HmacChallengeResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * The two AES-128 keys of one sealed connection, one per direction, derived after a successful handshake from the
 * protocol's key and both handshake nonces: {@code master = HMAC(protocolKey, "weft-seal/" + protocol || clientNonce
 * || serverNonce)}, then {@code HMAC(master, "client->server")} and {@code HMAC(master, "server->client")}, each cut to
 * 16 bytes. Fresh nonces make every connection's keys fresh, so record counters can start at zero on each connection;
 * separate direction keys mean the two directions' counters never share a nonce under one key. The protocol name
 * keeps the shuffle transport's keys apart from the driver RPC's even where the same secret reaches both.
 *
 * <p>Immutable; the key objects are never exposed outside this package.
 */
public final class ChannelKeys {
    static final int KEY_BYTES = 16;

    private final SecretKey send;
    private final SecretKey receive;

    private ChannelKeys(SecretKey send, SecretKey receive) {
        this.send = send;
        this.receive = receive;
    }

    /** The client's keys: it sends under client-&gt;server and receives under server-&gt;client. */
    public static ChannelKeys forClient(byte[] protocolKey, String protocol, byte[] clientNonce, byte[] serverNonce) {
        byte[] master = master(protocolKey, protocol, clientNonce, serverNonce);
        return new ChannelKeys(direction(master, "client->server"), direction(master, "server->client"));
    }

    /** The server's keys: the client's, swapped. */
    public static ChannelKeys forServer(byte[] protocolKey, String protocol, byte[] clientNonce, byte[] serverNonce) {
        byte[] master = master(protocolKey, protocol, clientNonce, serverNonce);
        return new ChannelKeys(direction(master, "server->client"), direction(master, "client->server"));
    }

    SecretKey send() {
        return send;
    }

    SecretKey receive() {
        return receive;
    }

    private static byte[] master(byte[] protocolKey, String protocol, byte[] clientNonce, byte[] serverNonce) {
        Objects.requireNonNull(protocolKey, "protocolKey is null");
        Objects.requireNonNull(protocol, "protocol is null");
        if (clientNonce.length != HmacChallengeResponse.NONCE_BYTES
                || serverNonce.length != HmacChallengeResponse.NONCE_BYTES) {
            // Fixed lengths keep the concatenation unambiguous.
            throw new IllegalArgumentException("nonces must have " + HmacChallengeResponse.NONCE_BYTES + " bytes");
        }
        return HmacChallengeResponse.proof(
                protocolKey,
                ("weft-seal/" + protocol + "\0").getBytes(StandardCharsets.UTF_8),
                clientNonce,
                serverNonce);
    }

    private static SecretKey direction(byte[] master, String label) {
        byte[] full = HmacChallengeResponse.proof(master, label.getBytes(StandardCharsets.US_ASCII));
        return new SecretKeySpec(Arrays.copyOf(full, KEY_BYTES), "AES");
    }

    @Override
    public String toString() {
        return "ChannelKeys[redacted]";
    }
}
