package dev.weft.transport.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

/**
 * A TCP proxy on loopback that stands between one client and a server: it copies both directions, records what the
 * server sent, and can flip one bit at a given offset of one direction (an on-path attacker, or a bad NIC). One
 * connection at a time; closing the proxy closes everything.
 */
final class TamperingProxy implements AutoCloseable {
    /** The direction a flip applies to. */
    enum Direction {
        TO_SERVER,
        TO_CLIENT
    }

    private final ServerSocket listener;
    private final int targetPort;
    private final Direction flipDirection;
    private final long flipAt;
    private final ByteArrayOutputStream fromServer = new ByteArrayOutputStream();
    private final List<Socket> sockets = new ArrayList<>();
    private final Thread acceptor;

    /** @param flipAt offset in {@code flipDirection}'s byte stream whose lowest bit is flipped; -1 for none */
    TamperingProxy(int targetPort, Direction flipDirection, long flipAt) throws IOException {
        this.listener = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
        this.targetPort = targetPort;
        this.flipDirection = flipDirection;
        this.flipAt = flipAt;
        this.acceptor = new Thread(this::accept, "tampering-proxy");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return listener.getLocalPort();
    }

    /** Everything the server has sent through this proxy so far. */
    synchronized byte[] fromServer() {
        return fromServer.toByteArray();
    }

    private void accept() {
        try {
            while (!listener.isClosed()) {
                Socket client = listener.accept();
                Socket server = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                synchronized (this) {
                    sockets.add(client);
                    sockets.add(server);
                }
                pump(client, server, Direction.TO_SERVER);
                pump(server, client, Direction.TO_CLIENT);
            }
        } catch (IOException closed) {
            // The proxy was closed.
        }
    }

    private void pump(Socket from, Socket to, Direction direction) {
        Thread t = new Thread(
                () -> {
                    byte[] buffer = new byte[8192];
                    long offset = 0;
                    try (InputStream in = from.getInputStream();
                            OutputStream out = to.getOutputStream()) {
                        for (int n; (n = in.read(buffer)) > 0; ) {
                            if (direction == flipDirection && flipAt >= offset && flipAt < offset + n) {
                                buffer[(int) (flipAt - offset)] ^= 0x01;
                            }
                            if (direction == Direction.TO_CLIENT) {
                                synchronized (this) {
                                    fromServer.write(buffer, 0, n);
                                }
                            }
                            out.write(buffer, 0, n);
                            out.flush();
                            offset += n;
                        }
                    } catch (IOException e) {
                        // One side closed; closing the other ends the copy the other way too.
                    } finally {
                        closeQuietly(from);
                        closeQuietly(to);
                    }
                },
                "tampering-proxy-" + direction);
        t.setDaemon(true);
        t.start();
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // Already closed.
        }
    }

    @Override
    public synchronized void close() throws IOException {
        listener.close();
        for (Socket s : sockets) {
            closeQuietly(s);
        }
    }
}
