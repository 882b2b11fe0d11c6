package dev.weft.hdfs.hadoop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.io.BooleanWritable;
import org.apache.hadoop.io.BytesWritable;
import org.apache.hadoop.io.DoubleWritable;
import org.apache.hadoop.io.IntWritable;
import org.apache.hadoop.io.LongWritable;
import org.apache.hadoop.io.MD5Hash;
import org.apache.hadoop.io.NullWritable;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.io.VIntWritable;
import org.apache.hadoop.io.Writable;
import org.junit.jupiter.api.Test;

/** The documented rule between Writables and Weft values, both ways, and the copy of reused objects. */
class WritablesTest {
    private final Configuration conf = new Configuration(false);

    @Test
    void knownWritablesBecomeWeftValuesAndBack() {
        List<Object> values = List.of("text ü", 42L, 7, 2.5, true);
        for (Object v : values) {
            Writable w = Writables.toWritable(v);
            assertEquals(v, Writables.toWeft(w, conf), v.getClass().getName());
            assertEquals(Writables.writableClassOf(v.getClass()), w.getClass());
        }
        assertEquals(3, Writables.toWeft(new VIntWritable(3), conf));
        assertNull(Writables.toWeft(NullWritable.get(), conf));
        assertEquals(NullWritable.get(), Writables.toWritable(null));
        assertEquals(Text.class, Writables.writableClassOf(String.class));
        assertEquals(LongWritable.class, Writables.writableClassOf(Long.class));
        assertEquals(IntWritable.class, Writables.writableClassOf(Integer.class));
        assertEquals(DoubleWritable.class, Writables.writableClassOf(Double.class));
        assertEquals(BooleanWritable.class, Writables.writableClassOf(Boolean.class));
    }

    @Test
    void bytesAreTheValidBytesCopied() {
        BytesWritable reused = new BytesWritable(new byte[] {1, 2, 3, 4});
        reused.setSize(2); // a reader's buffer: capacity 4, valid 2
        byte[] got = (byte[]) Writables.toWeft(reused, conf);
        assertArrayEquals(new byte[] {1, 2}, got);
        reused.getBytes()[0] = 9; // the reader overwrites its buffer for the next record
        assertEquals(1, got[0], "the value is a copy");
        assertArrayEquals(new byte[] {5, 6}, ((BytesWritable) Writables.toWritable(new byte[] {5, 6})).copyBytes());
    }

    @Test
    void anyOtherWritableIsKeptAsACopy() {
        MD5Hash reused = MD5Hash.digest("a");
        Object got = Writables.toWeft(reused, conf);
        assertEquals(reused, got);
        assertNotSame(reused, got, "a copy: Hadoop readers reuse their objects");
        assertEquals(MD5Hash.class, Writables.writableClassOf(MD5Hash.class));
    }

    @Test
    void aValueWithoutARuleIsRefusedNamingItsType() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> Writables.toWritable(new java.util.Date()));
        assertTrue(e.getMessage().contains("java.util.Date"), e.getMessage());
        IllegalArgumentException c =
                assertThrows(IllegalArgumentException.class, () -> Writables.writableClassOf(Character.class));
        assertTrue(c.getMessage().contains("java.lang.Character"), c.getMessage());
    }
}
