package dev.weft.it.testkit;

import com.google.protobuf.ByteString;
import dev.weft.transport.proto.AuthResponse;
import dev.weft.transport.proto.Envelope;
import dev.weft.transport.proto.FetchBlocks;
import dev.weft.transport.protocol.AuthCodes;
import dev.weft.transport.protocol.Protocol;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * A misbehaving tenant, run in a JVM of its own so that the test JVM (which hosts the NodeManagers) counts only the
 * NodeManagers' descriptors. Against one shuffle service it first asks once for every partition of a map output of
 * 4,096 tiny partitions (and reads them in full), then opens connections that never authenticate, then connections
 * that authenticate, ask for a large block and stop reading. It prints one line of counts, then holds every socket
 * until its standard input closes.
 *
 * <p>Args: host port appId secret(base64) unauthenticated stalled bigShuffleId tinyShuffleId tinyPartitions
 * unauthSource stalledSource (the two source addresses stand for other hosts: the service caps unauthenticated
 * connections per remote address).
 */
public final class ShuffleFlood {
    private ShuffleFlood() {}

    public static void main(String[] args) throws Exception {
        String host = args[0];
        int port = Integer.parseInt(args[1]);
        String app = args[2];
        byte[] secret = Base64.getDecoder().decode(args[3]);
        int unauthenticated = Integer.parseInt(args[4]);
        int stalled = Integer.parseInt(args[5]);
        int bigShuffle = Integer.parseInt(args[6]);
        int tinyShuffle = Integer.parseInt(args[7]);
        int tinyPartitions = Integer.parseInt(args[8]);
        String unauthSource = args[9];
        String stalledSource = args[10];
        int tinyBlocks = 0;
        try (Socket s = connect(stalledSource, host, port)) {
            s.setSoTimeout(30_000);
            DataInputStream in = new DataInputStream(s.getInputStream());
            DataOutputStream out = new DataOutputStream(s.getOutputStream());
            authenticate(in, out, app, secret);
            List<Integer> all = new ArrayList<>();
            for (int r = 0; r < tinyPartitions; r++) {
                all.add(r);
            }
            send(out, fetch(app, tinyShuffle, all));
            for (int r = 0; r < tinyPartitions; r++) {
                Envelope header = readFrame(in);
                if (header == null || !header.hasBlockHeader()) {
                    break;
                }
                in.skipNBytes(header.getBlockHeader().getLength());
                tinyBlocks++;
            }
        }
        List<Socket> held = new ArrayList<>();
        int refusedAtOnce = 0;
        for (int i = 0; i < unauthenticated; i++) {
            Socket s = connect(unauthSource, host, port);
            held.add(s);
        }
        // A refused connection is closed without a challenge; an admitted one gets a challenge first.
        for (Socket s : held) {
            s.setSoTimeout(5_000);
            if (readFrame(new DataInputStream(s.getInputStream())) == null) {
                refusedAtOnce++;
            }
        }
        int busy = 0;
        int inFlight = 0;
        for (int i = 0; i < stalled; i++) {
            Socket s = connect(stalledSource, host, port);
            held.add(s);
            s.setSoTimeout(30_000);
            DataInputStream in = new DataInputStream(s.getInputStream());
            DataOutputStream out = new DataOutputStream(s.getOutputStream());
            authenticate(in, out, app, secret);
            send(out, fetch(app, bigShuffle, List.of(0)));
            Envelope first = readFrame(in);
            if (first != null
                    && first.hasError()
                    && first.getError().getCode().name().equals("BUSY")) {
                busy++;
            } else if (first != null && first.hasBlockHeader()) {
                inFlight++; // and never read the block: the server's write stalls
            }
        }
        System.out.println("flood refusedAtOnce=" + refusedAtOnce + " busy=" + busy + " inFlight=" + inFlight
                + " tinyBlocks=" + tinyBlocks);
        System.out.flush();
        while (System.in.read() >= 0) {
            // Hold every socket until the test closes our input.
        }
        for (Socket s : held) {
            s.close();
        }
    }

    private static Socket connect(String source, String host, int port) throws IOException {
        Socket s = new Socket();
        s.bind(new InetSocketAddress(source, 0));
        s.connect(new InetSocketAddress(host, port), 10_000);
        return s;
    }

    private static void authenticate(DataInputStream in, DataOutputStream out, String app, byte[] secret)
            throws IOException {
        Envelope challenge = readFrame(in);
        if (challenge == null || !challenge.hasAuthChallenge()) {
            throw new IOException("no challenge: " + challenge);
        }
        byte[] clientNonce = AuthCodes.newNonce(new SecureRandom());
        byte[] mac = AuthCodes.clientMac(
                secret, challenge.getAuthChallenge().getServerNonce().toByteArray(), false, app);
        send(
                out,
                Envelope.newBuilder()
                        .setProtocolVersion(Protocol.VERSION)
                        .setAuthResponse(AuthResponse.newBuilder()
                                .setAppId(app)
                                .setMac(ByteString.copyFrom(mac))
                                .setClientNonce(ByteString.copyFrom(clientNonce)))
                        .build());
        Envelope ok = readFrame(in);
        if (ok == null || !ok.hasAuthOk()) {
            throw new IOException("authentication refused: " + ok);
        }
    }

    private static Envelope fetch(String app, int shuffle, List<Integer> reduceIds) {
        return Protocol.fetch(FetchBlocks.newBuilder()
                .setRequestId(1)
                .setAppId(app)
                .setShuffleId(shuffle)
                .setMapId(0)
                .setAttemptId(0)
                .addAllReduceIds(reduceIds)
                .build());
    }

    static void send(DataOutputStream out, Envelope envelope) throws IOException {
        byte[] bytes = envelope.toByteArray();
        out.writeInt(bytes.length);
        out.write(bytes);
        out.flush();
    }

    /** One frame, or null when the server closed the connection first. */
    static Envelope readFrame(DataInputStream in) throws IOException {
        int length;
        try {
            length = in.readInt();
        } catch (java.io.EOFException | java.net.SocketException e) {
            return null;
        }
        byte[] bytes = new byte[length];
        in.readFully(bytes);
        return Envelope.parseFrom(bytes);
    }
}
