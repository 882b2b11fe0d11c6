package dev.weft.shuffle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class StreamRecordSourceTest {
    private static byte[][] keys;
    private static byte[][] values;

    private static byte[] framed(int n, long seed) {
        Random r = new Random(seed);
        keys = new byte[n][];
        values = new byte[n][];
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] len = new byte[5];
        for (int i = 0; i < n; i++) {
            keys[i] = new byte[r.nextInt(4) == 0 ? r.nextInt(300) : r.nextInt(12)];
            values[i] = new byte[i % 50 == 0 ? 5_000 + r.nextInt(20_000) : r.nextInt(40)];
            r.nextBytes(keys[i]);
            r.nextBytes(values[i]);
            out.write(len, 0, Varints.write(len, 0, keys[i].length));
            out.writeBytes(keys[i]);
            out.write(len, 0, Varints.write(len, 0, values[i].length));
            out.writeBytes(values[i]);
        }
        return out.toByteArray();
    }

    /** Returns at most 7 bytes per read, to split every record across refills. */
    private static InputStream trickle(byte[] bytes) {
        return new ByteArrayInputStream(bytes) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, 7));
            }
        };
    }

    @Test
    void parsesRecordsSplitAcrossRefillsAndLargerThanTheBuffer() throws IOException {
        byte[] bytes = framed(500, 1);
        StreamRecordSource s = new StreamRecordSource(trickle(bytes), -1, 64);
        for (int i = 0; i < 500; i++) {
            assertTrue(s.next(), "record " + i);
            assertArrayEquals(keys[i], Arrays.copyOfRange(s.keyBuf(), s.keyOff(), s.keyOff() + s.keyLen()), "key " + i);
            assertArrayEquals(
                    values[i],
                    Arrays.copyOfRange(s.valueBuf(), s.valueOff(), s.valueOff() + s.valueLen()),
                    "value " + i);
        }
        assertFalse(s.next());
        assertFalse(s.next(), "stays at the end");
        assertEquals(bytes.length, s.bytesRead());
        assertEquals(500, s.recordsRead());
    }

    @Test
    void stopsAtTheSegmentLimit() throws IOException {
        byte[] bytes = framed(20, 2);
        StreamRecordSource all = new StreamRecordSource(new ByteArrayInputStream(bytes), -1, 1024);
        for (int i = 0; i < 10; i++) {
            all.next();
        }
        int firstTen = (int) all.bytesRead();
        InputStream in = new ByteArrayInputStream(bytes);
        StreamRecordSource s = new StreamRecordSource(in, firstTen, 1024);
        int n = 0;
        while (s.next()) {
            n++;
        }
        assertEquals(10, n);
        assertEquals(bytes.length - firstTen, in.available(), "did not read past its segment");
    }

    @Test
    void truncatedStreamIsAnEofException() throws IOException {
        byte[] bytes = framed(30, 3);
        StreamRecordSource s =
                new StreamRecordSource(new ByteArrayInputStream(Arrays.copyOf(bytes, bytes.length - 3)), -1, 128);
        assertThrows(EOFException.class, () -> {
            while (s.next()) {
                // drain
            }
        });
        StreamRecordSource limited = new StreamRecordSource(new ByteArrayInputStream(bytes), bytes.length + 10, 128);
        assertThrows(EOFException.class, () -> {
            while (limited.next()) {
                // drain
            }
        });
    }
}
