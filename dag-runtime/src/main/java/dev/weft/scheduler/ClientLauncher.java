package dev.weft.scheduler;

import dev.weft.conf.WeftConf;
import org.apache.hadoop.conf.Configuration;

/**
 * Runs a Weft program on a cluster from an edge node: submits an application whose driver runs
 * {@code mainClass} with {@code args}, shows progress, and returns the process exit code. Found with
 * {@link java.util.ServiceLoader} (the YARN module provides it).
 *
 * <p>{@code args} are the program's own arguments, the generic options already parsed out of them: their effect is
 * in {@code hadoopConf} (the job's effective configuration, which the launcher ships to the cluster, with the files
 * that {@code -files}, {@code -libjars} and {@code -archives} named).
 */
public interface ClientLauncher {
    String name();

    int submitAndWait(Class<?> mainClass, String[] args, WeftConf conf, Configuration hadoopConf);
}
