package dev.weft.hdfs.hadoop;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.io.BooleanWritable;
import org.apache.hadoop.io.ByteWritable;
import org.apache.hadoop.io.BytesWritable;
import org.apache.hadoop.io.DoubleWritable;
import org.apache.hadoop.io.FloatWritable;
import org.apache.hadoop.io.IntWritable;
import org.apache.hadoop.io.LongWritable;
import org.apache.hadoop.io.NullWritable;
import org.apache.hadoop.io.ShortWritable;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.io.VIntWritable;
import org.apache.hadoop.io.VLongWritable;
import org.apache.hadoop.io.Writable;
import org.apache.hadoop.io.WritableUtils;

/**
 * The rule between Hadoop's Writables and Weft's values, both ways:
 *
 * <table>
 *   <tr><th>Writable</th><th>Weft value</th></tr>
 *   <tr><td>Text</td><td>String</td></tr>
 *   <tr><td>IntWritable, VIntWritable</td><td>Integer</td></tr>
 *   <tr><td>LongWritable, VLongWritable</td><td>Long</td></tr>
 *   <tr><td>DoubleWritable / FloatWritable</td><td>Double / Float</td></tr>
 *   <tr><td>BooleanWritable / ByteWritable / ShortWritable</td><td>Boolean / Byte / Short</td></tr>
 *   <tr><td>BytesWritable</td><td>byte[] (its valid bytes, copied)</td></tr>
 *   <tr><td>NullWritable</td><td>null</td></tr>
 *   <tr><td>any other Writable</td><td>a copy of it ({@link WritableUtils#clone}): Hadoop readers reuse their
 *       objects, so a record kept past the next one must be a copy</td></tr>
 * </table>
 *
 * Writing maps the other way (Integer to IntWritable, never VIntWritable); a Writable is written as it is. Stateless.
 */
public final class Writables {
    private Writables() {}

    /** The Weft value of a record a Hadoop reader returned (which the reader may overwrite on its next record). */
    public static Object toWeft(Object w, Configuration conf) {
        if (w == null || w instanceof NullWritable) {
            return null;
        }
        if (w instanceof Text t) {
            return t.toString();
        }
        if (w instanceof LongWritable l) {
            return l.get();
        }
        if (w instanceof IntWritable i) {
            return i.get();
        }
        if (w instanceof BytesWritable b) {
            return b.copyBytes();
        }
        if (w instanceof DoubleWritable d) {
            return d.get();
        }
        if (w instanceof FloatWritable f) {
            return f.get();
        }
        if (w instanceof BooleanWritable b) {
            return b.get();
        }
        if (w instanceof VLongWritable l) {
            return l.get();
        }
        if (w instanceof VIntWritable i) {
            return i.get();
        }
        if (w instanceof ByteWritable b) {
            return b.get();
        }
        if (w instanceof ShortWritable s) {
            return s.get();
        }
        if (w instanceof Writable other) {
            return WritableUtils.clone(other, conf);
        }
        return w; // not a Writable (e.g. an Avro record): the format's own object, as its reader returned it
    }

    /** The Writable written for a Weft value; fails naming the type when there is no rule for it. */
    public static Writable toWritable(Object v) {
        if (v == null) {
            return NullWritable.get();
        }
        if (v instanceof Writable w) {
            return w;
        }
        if (v instanceof String s) {
            return new Text(s);
        }
        if (v instanceof Long l) {
            return new LongWritable(l);
        }
        if (v instanceof Integer i) {
            return new IntWritable(i);
        }
        if (v instanceof byte[] b) {
            return new BytesWritable(b);
        }
        if (v instanceof Double d) {
            return new DoubleWritable(d);
        }
        if (v instanceof Float f) {
            return new FloatWritable(f);
        }
        if (v instanceof Boolean b) {
            return new BooleanWritable(b);
        }
        if (v instanceof Byte b) {
            return new ByteWritable(b);
        }
        if (v instanceof Short s) {
            return new ShortWritable(s);
        }
        throw new IllegalArgumentException("cannot write a " + v.getClass().getName()
                + " as a Hadoop Writable: map it to a String, a number, a Boolean, a byte[] or a Writable first");
    }

    /** The Writable class a Weft value type is written as (for an OutputFormat's key and value classes). */
    public static Class<? extends Writable> writableClassOf(Class<?> weftType) {
        if (Writable.class.isAssignableFrom(weftType)) {
            return weftType.asSubclass(Writable.class);
        }
        if (weftType == String.class) {
            return Text.class;
        }
        if (weftType == Long.class) {
            return LongWritable.class;
        }
        if (weftType == Integer.class) {
            return IntWritable.class;
        }
        if (weftType == byte[].class) {
            return BytesWritable.class;
        }
        if (weftType == Double.class) {
            return DoubleWritable.class;
        }
        if (weftType == Float.class) {
            return FloatWritable.class;
        }
        if (weftType == Boolean.class) {
            return BooleanWritable.class;
        }
        if (weftType == Byte.class) {
            return ByteWritable.class;
        }
        if (weftType == Short.class) {
            return ShortWritable.class;
        }
        throw new IllegalArgumentException("no Hadoop Writable for " + weftType.getName()
                + ": use String, Long, Integer, Double, Float, Boolean, Byte, Short, byte[] or a Writable class");
    }
}
