package dev.weft.scheduler;

import dev.weft.conf.WeftConf;
import org.apache.hadoop.conf.Configuration;

/**
 * Runs a Weft program on a cluster from an edge node: submits an application whose driver runs
 * {@code mainClass} with {@code args}, shows progress, and returns the process exit code. Found with
 * {@link java.util.ServiceLoader} (the YARN module provides it).
 */
public interface ClientLauncher {
    String name();

    int submitAndWait(Class<?> mainClass, String[] args, WeftConf conf, Configuration hadoopConf);
}
