package dev.weft.io;

import dev.weft.plan.Node;
import org.apache.hadoop.conf.Configuration;

/**
 * How an input format module (hdfs-io) builds the lineage node of a dataset it reads. The context calls it once, on
 * the driver, with the node's id and the user's call site; splits are computed later, when a job plans the node.
 *
 * @param <T> the records the node yields
 */
@FunctionalInterface
public interface InputSource<T> {
    /**
     * @param id the node id the context allocated
     * @param callSite "textFile at WordCount.java:31"
     * @param hadoopConf the context's Hadoop configuration (driver side; not shipped with the node)
     */
    Node<T> node(int id, String callSite, Configuration hadoopConf);
}
