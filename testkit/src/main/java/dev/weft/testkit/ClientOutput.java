package dev.weft.testkit;

import dev.weft.annotations.SuppressForbidden;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the clients the kit submits print. The client ({@code yarn jar}'s code path) writes to {@code System.out} and
 * runs on a thread of the kit's own, so the kit replaces {@code System.out} once per JVM with a stream that passes
 * every byte on to the original and also copies the bytes each registered client thread writes into that job's
 * buffer.
 *
 * <p>Thread-safe.
 */
final class ClientOutput extends OutputStream {
    private static ClientOutput installed;

    private final PrintStream original;
    private final Map<Thread, ByteArrayOutputStream> buffers = new ConcurrentHashMap<>();

    private ClientOutput(PrintStream original) {
        this.original = original;
    }

    @SuppressForbidden("the kit captures what the in-process yarn jar client prints to the terminal")
    static synchronized ClientOutput install() {
        if (installed == null) {
            installed = new ClientOutput(System.out);
            System.setOut(new PrintStream(installed, true, StandardCharsets.UTF_8));
        }
        return installed;
    }

    /** Starts copying what {@code client} prints; the returned buffer holds it. */
    ByteArrayOutputStream register(Thread client) {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        buffers.put(client, buffer);
        return buffer;
    }

    @Override
    public void write(int b) {
        original.write(b);
        ByteArrayOutputStream buffer = buffers.get(Thread.currentThread());
        if (buffer != null) {
            synchronized (buffer) {
                buffer.write(b);
            }
        }
    }

    @Override
    public void write(byte[] b, int off, int len) {
        original.write(b, off, len);
        ByteArrayOutputStream buffer = buffers.get(Thread.currentThread());
        if (buffer != null) {
            synchronized (buffer) {
                buffer.write(b, off, len);
            }
        }
    }

    @Override
    public void flush() {
        original.flush();
    }

    /** What {@code buffer} holds so far, as text. */
    static String text(ByteArrayOutputStream buffer) {
        synchronized (buffer) {
            return buffer.toString(StandardCharsets.UTF_8);
        }
    }
}
