package dev.weft.hdfs.hadoop;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serial;
import java.io.Serializable;
import java.util.Objects;
import org.apache.hadoop.conf.Configuration;

/**
 * A Hadoop {@link Configuration} that travels with a node or an output protocol to the executors: an InputFormat's
 * settings (input directories, record length, split sizes, …) and an OutputFormat's (output path, codec, committer
 * algorithm) live in the job's configuration, not in the executor's. Written with Hadoop's own {@code
 * Configuration.write}. Not thread-safe to mutate; {@link #get()} hands out the shipped instance, which callers
 * copy before changing.
 */
public final class ShippedConf implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    private transient Configuration conf;

    public ShippedConf(Configuration conf) {
        this.conf = new Configuration(Objects.requireNonNull(conf, "conf is null"));
    }

    /** The configuration; a copy is the caller's to change. */
    public Configuration get() {
        return conf;
    }

    @Serial
    private void writeObject(ObjectOutputStream out) throws IOException {
        out.defaultWriteObject();
        conf.write(out);
    }

    @Serial
    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
        in.defaultReadObject();
        Configuration c = new Configuration(false);
        c.readFields(in);
        conf = c;
    }
}
