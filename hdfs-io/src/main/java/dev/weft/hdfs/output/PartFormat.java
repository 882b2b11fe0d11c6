package dev.weft.hdfs.output;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Serializable;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Objects;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.io.compress.CompressionCodec;
import org.apache.hadoop.io.compress.CompressionOutputStream;
import org.apache.hadoop.util.ReflectionUtils;

/**
 * How one partition's records become the bytes of its part file, for {@link PartFileCommitter}. Implementations are
 * immutable and serializable (they travel to the executors with the committer).
 */
public interface PartFormat extends Serializable {
    /** Writes every record to {@code out} (which the caller closes). @return records written */
    long write(Iterator<?> records, OutputStream out, Configuration conf) throws IOException;

    /** What part file names end with (".gz" for gzip text), so readers recognise the codec. */
    default String extension() {
        return "";
    }

    /** Each record's {@code String.valueOf} on its own line, UTF-8, optionally through a Hadoop codec. */
    record TextLines(String codecClass) implements PartFormat {
        public static final TextLines PLAIN = new TextLines(null);

        @Override
        public long write(Iterator<?> records, OutputStream out, Configuration conf) throws IOException {
            CompressionCodec codec = codec(conf);
            OutputStream target = out;
            CompressionOutputStream compressed = null;
            if (codec != null) {
                compressed = codec.createOutputStream(out);
                target = compressed;
            }
            long n = 0;
            Writer w = new BufferedWriter(new OutputStreamWriter(target, StandardCharsets.UTF_8), 1 << 16);
            while (records.hasNext()) {
                w.write(String.valueOf(records.next()));
                w.write('\n');
                n++;
            }
            w.flush();
            if (compressed != null) {
                compressed.finish();
            }
            return n;
        }

        @Override
        public String extension() {
            return codecClass == null ? "" : codec(new Configuration(false)).getDefaultExtension();
        }

        private CompressionCodec codec(Configuration conf) {
            if (codecClass == null) {
                return null;
            }
            try {
                return (CompressionCodec) ReflectionUtils.newInstance(conf.getClassByName(codecClass), conf);
            } catch (ClassNotFoundException e) {
                throw new IllegalArgumentException("compression codec " + codecClass + " is not on the class path", e);
            }
        }
    }

    /**
     * Fixed-length binary records written back to back with nothing between them (the layout {@code binaryRecords}
     * and Hadoop's FixedLengthInputFormat read, e.g. TeraSort's 100-byte records). A record of another length fails
     * the task naming its length.
     */
    record FixedLengthRecords(int recordLength) implements PartFormat {
        public FixedLengthRecords {
            if (recordLength <= 0) {
                throw new IllegalArgumentException("recordLength must be > 0: " + recordLength);
            }
        }

        @Override
        public long write(Iterator<?> records, OutputStream out, Configuration conf) throws IOException {
            long n = 0;
            while (records.hasNext()) {
                Object r = records.next();
                if (!(r instanceof byte[] b)) {
                    throw new IllegalArgumentException("fixed-length output takes byte[] records, not "
                            + (r == null ? "null" : r.getClass().getName()));
                }
                if (b.length != recordLength) {
                    throw new IllegalArgumentException("record " + n + " of this partition is " + b.length
                            + " bytes long; every record of this output must be " + recordLength);
                }
                out.write(b);
                n++;
            }
            return n;
        }
    }

    /** Checks a codec class name early, on the driver. */
    static String checkedCodec(Class<? extends CompressionCodec> codec) {
        return Objects.requireNonNull(codec, "codec is null").getName();
    }
}
