package dev.weft.conf;

import dev.weft.annotations.SuppressForbidden;
import java.nio.file.Files;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;

/**
 * The one place that builds a job's Hadoop configuration from the classpath's {@code *-default.xml} and
 * {@code *-site.xml} resources ({@code HADOOP_CONF_DIR} in a container) and, inside a Weft container, the job's own
 * configuration file. The build forbids {@code new Configuration()} and {@code new YarnConfiguration()} everywhere
 * else, so every driver, executor and task sees the same settings. YARN code wraps it: {@code new
 * YarnConfiguration(HadoopConfigurations.create())}, which loads the same resources as {@code new YarnConfiguration()}.
 *
 * <p>The job configuration: the client writes its effective configuration (the cluster's files, {@code -conf}
 * files and {@code -D} settings, as MapReduce writes {@code job.xml}) and every container localizes it under the
 * name in {@value #JOB_CONF_ENV}. It is added over the node's own files, so a setting the job chose wins over the
 * node's, except one the node marks final (Hadoop's rule).
 *
 * <p>Stateless and thread-safe; every call returns a fresh, mutable configuration owned by the caller.
 */
public final class HadoopConfigurations {
    /** Environment variable naming the job configuration file a container localized (relative to its directory). */
    public static final String JOB_CONF_ENV = "WEFT_JOB_CONF";

    private HadoopConfigurations() {}

    @SuppressForbidden("this is the one place the job's Hadoop configuration is built")
    public static Configuration create() {
        Configuration conf = new Configuration();
        jobConfiguration().ifPresent(f -> conf.addResource(new org.apache.hadoop.fs.Path(f.toUri())));
        return conf;
    }

    /**
     * The job configuration file of this container, when it runs inside a Weft application.
     *
     * @throws IllegalStateException when {@value #JOB_CONF_ENV} names a file that is not there: a container told
     *     to use the job's settings must not silently run with the node's
     */
    public static Optional<java.nio.file.Path> jobConfiguration() {
        return jobConfiguration(System.getenv(JOB_CONF_ENV));
    }

    static Optional<java.nio.file.Path> jobConfiguration(String env) {
        if (env == null || env.isBlank()) {
            return Optional.empty();
        }
        java.nio.file.Path file = java.nio.file.Path.of(env).toAbsolutePath();
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException(JOB_CONF_ENV + " names " + file
                    + ", which is not a file: the job's configuration was not" + " localized into this container");
        }
        return Optional.of(file);
    }
}
