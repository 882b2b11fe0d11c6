package dev.weft.conf;

import dev.weft.annotations.SuppressForbidden;
import org.apache.hadoop.conf.Configuration;

/**
 * The one place that builds a job's Hadoop configuration from the classpath's {@code *-default.xml} and
 * {@code *-site.xml} resources ({@code HADOOP_CONF_DIR} in a container). The build forbids
 * {@code new Configuration()} and {@code new YarnConfiguration()} everywhere else, so a future change to how
 * Weft loads Hadoop settings (an extra resource, a key every job needs) has exactly one place to go. YARN code
 * wraps it: {@code new YarnConfiguration(HadoopConfigurations.create())}, which loads the same resources as
 * {@code new YarnConfiguration()}.
 *
 * <p>Stateless and thread-safe; every call returns a fresh, mutable configuration owned by the caller.
 */
public final class HadoopConfigurations {
    private HadoopConfigurations() {}

    @SuppressForbidden("this is the one place the job's Hadoop configuration is built")
    public static Configuration create() {
        return new Configuration();
    }
}
