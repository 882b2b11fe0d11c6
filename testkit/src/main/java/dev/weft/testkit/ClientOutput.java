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
 * runs on a thread of the kit's own, so before each submission the kit makes sure {@code System.out} is a stream that
 * passes every byte on to what {@code System.out} was and also copies the bytes each registered client thread writes
 * into that job's buffer. A test that swapped {@code System.out} meanwhile (to capture it too) gets wrapped again;
 * bytes that pass through two such streams are copied once.
 *
 * <p>Thread-safe.
 */
final class ClientOutput extends OutputStream {
    private static final Map<Thread, ByteArrayOutputStream> BUFFERS = new ConcurrentHashMap<>();
    /** Set while a thread's bytes go through one ClientOutput: an inner one (wrapped) does not copy them again. */
    private static final ThreadLocal<Boolean> COPYING = ThreadLocal.withInitial(() -> false);

    private static PrintStream installed;

    private final PrintStream original;

    private ClientOutput(PrintStream original) {
        this.original = original;
    }

    /** Makes {@code System.out} copy registered threads' output, unless it already does. */
    @SuppressForbidden("the kit captures what the in-process yarn jar client prints to the terminal")
    static synchronized void install() {
        if (System.out != installed) {
            installed = new PrintStream(new ClientOutput(System.out), true, StandardCharsets.UTF_8);
            System.setOut(installed);
        }
    }

    /** Starts copying what {@code client} prints; the returned buffer holds it. */
    static ByteArrayOutputStream register(Thread client) {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        BUFFERS.put(client, buffer);
        return buffer;
    }

    @Override
    public void write(int b) {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) {
        ByteArrayOutputStream buffer = BUFFERS.get(Thread.currentThread());
        boolean outer = !COPYING.get();
        if (buffer != null && outer) {
            synchronized (buffer) {
                buffer.write(b, off, len);
            }
        }
        COPYING.set(true);
        try {
            original.write(b, off, len);
        } finally {
            COPYING.set(!outer);
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
