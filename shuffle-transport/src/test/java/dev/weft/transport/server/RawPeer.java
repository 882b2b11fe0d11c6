package dev.weft.transport.server;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.weft.transport.ErrorCode;
import dev.weft.transport.proto.AuthResponse;
import dev.weft.transport.proto.Envelope;
import dev.weft.transport.proto.FetchBlocks;
import dev.weft.transport.protocol.AuthCodes;
import dev.weft.transport.protocol.Protocol;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketException;

/** A hand-driven protocol peer over a blocking socket, for sending what a well-behaved client never would. */
final class RawPeer {
    private final DataInputStream in;
    private final DataOutputStream out;

    RawPeer(Socket socket) throws IOException {
        socket.setSoTimeout(5000);
        in = new DataInputStream(socket.getInputStream());
        out = new DataOutputStream(socket.getOutputStream());
    }

    Envelope read() throws IOException {
        byte[] frame = new byte[in.readInt()];
        in.readFully(frame);
        return Envelope.parseFrom(frame);
    }

    void write(Envelope envelope) throws IOException {
        byte[] bytes = envelope.toByteArray();
        out.writeInt(bytes.length);
        out.write(bytes);
        out.flush();
    }

    byte[] readChallenge() throws IOException {
        Envelope challenge = read();
        assertTrue(challenge.hasAuthChallenge(), challenge.toString());
        return challenge.getAuthChallenge().getServerNonce().toByteArray();
    }

    void authenticate(String appId, byte[] secret) throws IOException {
        Envelope ok = authenticate(appId, secret, false);
        assertTrue(ok.hasAuthOk(), ok.toString());
    }

    /** Answers the challenge, claiming to seal or not (without sealing anything); returns the server's answer. */
    Envelope authenticate(String appId, byte[] secret, boolean seal) throws IOException {
        byte[] nonce = readChallenge();
        write(Protocol.authResponse(AuthResponse.newBuilder()
                .setAppId(appId)
                .setMac(ByteString.copyFrom(AuthCodes.clientMac(secret, nonce, seal, appId)))
                .setClientNonce(ByteString.copyFrom(new byte[AuthCodes.NONCE_BYTES]))
                .setSeal(seal)
                .build()));
        return read();
    }

    void sendFetch(String appId, int shuffleId, int mapId, long attemptId, int reduceId) throws IOException {
        sendFetch(1, appId, shuffleId, mapId, attemptId, reduceId);
    }

    void sendFetch(long requestId, String appId, int shuffleId, int mapId, long attemptId, int reduceId)
            throws IOException {
        sendFetch(requestId, appId, shuffleId, mapId, attemptId, java.util.List.of(reduceId));
    }

    void sendFetch(long requestId, String appId, int shuffleId, int mapId, long attemptId, Iterable<Integer> reduceIds)
            throws IOException {
        write(Protocol.fetch(FetchBlocks.newBuilder()
                .setRequestId(requestId)
                .setAppId(appId)
                .setShuffleId(shuffleId)
                .setMapId(mapId)
                .setAttemptId(attemptId)
                .addAllReduceIds(reduceIds)
                .build()));
    }

    void skip(long bytes) throws IOException {
        in.skipNBytes(bytes);
    }

    ErrorCode readErrorCode() throws IOException {
        Envelope error = read();
        assertTrue(error.hasError(), error.toString());
        return Protocol.fromWire(error.getError().getCode());
    }

    /** Whether the server closed the connection after whatever it still sent (read and dropped); false on timeout. */
    boolean closedAfterDraining() throws IOException {
        try {
            while (in.read() >= 0) {
                // what a sealed server sends cannot be read here
            }
            return true;
        } catch (java.net.SocketTimeoutException e) {
            return false;
        } catch (EOFException | SocketException e) {
            return true;
        }
    }

    /** Whether the server closed the connection (end of stream or reset) without sending more. */
    boolean closedByServer() throws IOException {
        try {
            return in.read() < 0;
        } catch (EOFException | SocketException e) {
            return true;
        }
    }
}
