package dev.weft.hdfs.input;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.Objects;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.io.serializer.Deserializer;
import org.apache.hadoop.io.serializer.SerializationFactory;
import org.apache.hadoop.io.serializer.Serializer;

/**
 * One Hadoop InputSplit (either API) as a Weft split: its class, its bytes in Hadoop's own serialization (Writable
 * for FileSplit and every split Hadoop ships), the hosts its InputFormat prefers and its length. Immutable.
 */
record HadoopSplit(int index, String splitClass, byte[] bytes, List<String> hosts, long length)
        implements SourceNode.SizedSplit {
    HadoopSplit {
        Objects.requireNonNull(splitClass, "splitClass is null");
        Objects.requireNonNull(bytes, "bytes is null");
        hosts = List.copyOf(hosts);
    }

    /** Driver: serializes {@code split}. */
    static HadoopSplit of(int index, Object split, String[] locations, long length, Configuration conf)
            throws IOException {
        @SuppressWarnings("unchecked")
        Class<Object> c = (Class<Object>) split.getClass();
        Serializer<Object> ser = new SerializationFactory(conf).getSerializer(c);
        if (ser == null) {
            throw new IOException("no Hadoop serialization for input split " + c.getName()
                    + " (io.serializations): the split cannot be shipped to an executor");
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ser.open(bytes);
        ser.serialize(split);
        ser.close();
        return new HadoopSplit(
                index, c.getName(), bytes.toByteArray(), InputFiles.withoutLocalhost(List.of(locations)), length);
    }

    /** Executor: the split again. */
    Object read(Configuration conf) throws IOException {
        Class<?> c;
        try {
            c = conf.getClassByName(splitClass);
        } catch (ClassNotFoundException e) {
            throw new IOException("input split class " + splitClass + " is not on the executor's class path", e);
        }
        @SuppressWarnings("unchecked")
        Deserializer<Object> de = new SerializationFactory(conf).getDeserializer((Class<Object>) c);
        de.open(new ByteArrayInputStream(bytes));
        Object split = de.deserialize(null);
        de.close();
        return split;
    }
}
