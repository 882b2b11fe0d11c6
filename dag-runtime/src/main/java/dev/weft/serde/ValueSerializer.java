package dev.weft.serde;

import dev.weft.core.Pair;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamClass;
import java.util.ArrayList;
import java.util.List;

/**
 * Weft's default serializer: a one-byte type tag, then a compact binary form. Fast paths cover
 * String, the boxed primitives, byte[], {@link Pair} and {@link List} of those; anything else falls back
 * to Java serialization (and must then serialize deterministically to be used as a key).
 *
 * <p>Order: within one type, the encodings of boolean, the integral types, float/double, String, byte[]
 * and pairs of those compare as unsigned bytes in the same order as the values' natural order
 * ({@code compareTo}). Lists and Java-serialized values are not order-preserving; the shuffle compares
 * those as objects. Strings containing U+0000 sort after other control characters (modified UTF-8).
 *
 * <p>Stateless and thread-safe; use {@link #INSTANCE}.
 */
public final class ValueSerializer implements Serializer<Object> {
    public static final ValueSerializer INSTANCE = new ValueSerializer();

    static final int NULL = 0x00;
    static final int BOOLEAN = 0x01;
    static final int BYTE = 0x02;
    static final int SHORT = 0x03;
    static final int CHAR = 0x04;
    static final int INT = 0x05;
    static final int LONG = 0x06;
    static final int FLOAT = 0x07;
    static final int DOUBLE = 0x08;
    static final int STRING = 0x09;
    static final int BYTES = 0x0A;
    /** A pair whose components are both order-preserving. */
    static final int PAIR_ORDERED = 0x0B;
    /** A pair with at least one component that is not order-preserving. */
    static final int PAIR = 0x0C;

    static final int LIST = 0x0D;
    static final int JAVA = 0x7F;

    private ValueSerializer() {}

    @SuppressWarnings("unchecked")
    public static <T> Serializer<T> instance() {
        return (Serializer<T>) INSTANCE;
    }

    @Override
    public void write(Object v, RecordOutput out) {
        if (v == null) {
            out.writeByte(NULL);
        } else if (v instanceof String s) {
            out.writeByte(STRING);
            out.writeTerminatedString(s);
        } else if (v instanceof Integer i) {
            out.writeByte(INT);
            out.writeInt(i ^ Integer.MIN_VALUE);
        } else if (v instanceof Long l) {
            out.writeByte(LONG);
            out.writeLong(l ^ Long.MIN_VALUE);
        } else if (v instanceof Pair<?, ?> p) {
            out.writeByte(isOrdered(p) ? PAIR_ORDERED : PAIR);
            write(p.key(), out);
            write(p.value(), out);
        } else if (v instanceof Double d) {
            out.writeByte(DOUBLE);
            out.writeLong(sortableDouble(d));
        } else if (v instanceof byte[] b) {
            out.writeByte(BYTES);
            writeEscapedBytes(b, out);
        } else if (v instanceof Boolean b) {
            out.writeByte(BOOLEAN);
            out.writeByte(b ? 1 : 0);
        } else if (v instanceof Float f) {
            out.writeByte(FLOAT);
            out.writeInt(sortableFloat(f));
        } else if (v instanceof Short s) {
            out.writeByte(SHORT);
            out.writeInt(s ^ Integer.MIN_VALUE);
        } else if (v instanceof Byte b) {
            out.writeByte(BYTE);
            out.writeByte(b ^ 0x80);
        } else if (v instanceof Character c) {
            out.writeByte(CHAR);
            out.writeInt(c);
        } else if (v instanceof List<?> list && isPlainList(list)) {
            out.writeByte(LIST);
            out.writeVarInt(list.size());
            for (Object e : list) {
                write(e, out);
            }
        } else {
            out.writeByte(JAVA);
            byte[] bytes = javaSerialize(v);
            out.writeVarInt(bytes.length);
            out.writeBytes(bytes);
        }
    }

    @Override
    public Object read(RecordInput in) {
        int tag = in.readUnsignedByte();
        switch (tag) {
            case NULL:
                return null;
            case STRING:
                return in.readTerminatedString();
            case INT:
                return in.readInt() ^ Integer.MIN_VALUE;
            case LONG:
                return in.readLong() ^ Long.MIN_VALUE;
            case PAIR_ORDERED:
            case PAIR: {
                Object k = read(in);
                Object v = read(in);
                return new Pair<>(k, v);
            }
            case DOUBLE:
                return unsortableDouble(in.readLong());
            case BYTES:
                return readEscapedBytes(in);
            case BOOLEAN:
                return in.readUnsignedByte() != 0;
            case FLOAT:
                return unsortableFloat(in.readInt());
            case SHORT:
                return (short) (in.readInt() ^ Integer.MIN_VALUE);
            case BYTE:
                return (byte) (in.readUnsignedByte() ^ 0x80);
            case CHAR:
                return (char) in.readInt();
            case LIST: {
                int n = in.readVarInt();
                if (n < 0 || n > in.remaining()) {
                    throw new SerializationException(
                            "list length " + n + " exceeds the " + in.remaining() + " bytes left");
                }
                List<Object> list = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    list.add(read(in));
                }
                return list;
            }
            case JAVA: {
                int n = in.readVarInt();
                if (n < 0 || n > in.remaining()) {
                    throw new SerializationException(
                            "java-serialized length " + n + " exceeds the " + in.remaining() + " bytes left");
                }
                Object v = javaDeserialize(in.array(), in.position(), n);
                in.skip(n);
                return v;
            }
            default:
                throw new SerializationException("unknown type tag 0x" + Integer.toHexString(tag));
        }
    }

    @Override
    public boolean orderPreserving(byte[] buf, int off, int len) {
        if (len == 0) {
            return false;
        }
        int tag = buf[off] & 0xFF;
        return tag != PAIR && tag != LIST && tag != JAVA;
    }

    private static boolean isOrdered(Object v) {
        if (v == null
                || v instanceof String
                || v instanceof Integer
                || v instanceof Long
                || v instanceof Double
                || v instanceof byte[]
                || v instanceof Boolean
                || v instanceof Float
                || v instanceof Short
                || v instanceof Byte
                || v instanceof Character) {
            return true;
        }
        if (v instanceof Pair<?, ?> p) {
            return isOrdered(p.key()) && isOrdered(p.value());
        }
        return false;
    }

    /** Only the JDK's own lists come back as ArrayList; a user's List subclass keeps its class via Java serialization. */
    private static boolean isPlainList(List<?> list) {
        return list.getClass().getName().startsWith("java.util.");
    }

    static long sortableDouble(double d) {
        long bits = Double.doubleToLongBits(d);
        return bits < 0 ? ~bits : bits ^ Long.MIN_VALUE;
    }

    static double unsortableDouble(long s) {
        long bits = s < 0 ? s ^ Long.MIN_VALUE : ~s;
        return Double.longBitsToDouble(bits);
    }

    static int sortableFloat(float f) {
        int bits = Float.floatToIntBits(f);
        return bits < 0 ? ~bits : bits ^ Integer.MIN_VALUE;
    }

    static float unsortableFloat(int s) {
        int bits = s < 0 ? s ^ Integer.MIN_VALUE : ~s;
        return Float.intBitsToFloat(bits);
    }

    /** 0x00 becomes 0x00 0xFF and the value ends with 0x00 0x00: self-delimiting and order-preserving. */
    private static void writeEscapedBytes(byte[] b, RecordOutput out) {
        for (byte x : b) {
            out.writeByte(x);
            if (x == 0) {
                out.writeByte(0xFF);
            }
        }
        out.writeByte(0);
        out.writeByte(0);
    }

    private static byte[] readEscapedBytes(RecordInput in) {
        RecordOutput acc = new RecordOutput(32);
        while (true) {
            int b = in.readUnsignedByte();
            if (b != 0) {
                acc.writeByte(b);
                continue;
            }
            int next = in.readUnsignedByte();
            if (next == 0) {
                return acc.toByteArray();
            }
            if (next != 0xFF) {
                throw new SerializationException(
                        "malformed escaped byte[]: 0x00 followed by 0x" + Integer.toHexString(next));
            }
            acc.writeByte(0);
        }
    }

    static byte[] javaSerialize(Object v) {
        ByteArrayOutputStream bos = new ByteArrayOutputStream(128);
        try (ObjectOutputStream oos = new ObjectOutputStream(bos)) {
            oos.writeObject(v);
        } catch (java.io.NotSerializableException e) {
            throw new SerializationException(
                    "value of " + v.getClass().getName() + " is not serializable: " + e.getMessage()
                            + " does not implement java.io.Serializable",
                    e);
        } catch (IOException e) {
            throw new SerializationException(
                    "cannot serialize value of " + v.getClass().getName(), e);
        }
        return bos.toByteArray();
    }

    static Object javaDeserialize(byte[] buf, int off, int len) {
        try (ObjectInputStream ois = new ContextObjectInputStream(new ByteArrayInputStream(buf, off, len))) {
            return ois.readObject();
        } catch (IOException | ClassNotFoundException e) {
            throw new SerializationException("cannot deserialize a Java-serialized value: " + e, e);
        }
    }

    /**
     * Resolves user classes through the thread context class loader (the application's jar in containers), through
     * the {@link DeserializationFilter}.
     */
    public static final class ContextObjectInputStream extends ObjectInputStream {
        public ContextObjectInputStream(InputStream in) throws IOException {
            super(in);
            setObjectInputFilter(DeserializationFilter.get());
        }

        @Override
        protected Class<?> resolveClass(ObjectStreamClass desc) throws IOException, ClassNotFoundException {
            ClassLoader cl = Thread.currentThread().getContextClassLoader();
            if (cl != null) {
                try {
                    return Class.forName(desc.getName(), false, cl);
                } catch (ClassNotFoundException e) {
                    // fall through to the default resolution (primitives, bootstrap classes)
                }
            }
            return super.resolveClass(desc);
        }
    }
}
