package dev.weft.yarn.queues;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.util.List;

/**
 * The CapacityScheduler layouts shipped with Weft, as classpath resources.
 *
 * <p>This class deliberately has no Hadoop dependency: callers add the resource to their own
 * configuration, e.g. {@code conf.addResource(CapacitySchedulerLayouts.resource(DEFAULT))} on a
 * {@code YarnConfiguration} handed to a {@code MiniYARNCluster}, or copy the file to
 * {@code $HADOOP_CONF_DIR/capacity-scheduler.xml} on a real cluster.
 */
public final class CapacitySchedulerLayouts {

    /** root.default / root.drivers / root.executors: the layout for dev clusters, tests and the demo. */
    public static final String DEFAULT = "weft/capacity-scheduler.xml";

    /** root.prod.{drivers,executors} / root.adhoc.{drivers,executors} / root.default: a production example. */
    public static final String PRODUCTION = "weft/capacity-scheduler-production.xml";

    /** Every layout this module ships (capacity-scheduler.xml files only, so not {@link #PREEMPTION_SITE}). */
    public static final List<String> ALL = List.of(DEFAULT, PRODUCTION);

    /**
     * The yarn-site.xml properties that switch on the preemption monitor the layouts tune: merge them into the
     * ResourceManager's yarn-site.xml (the RM reads the switch only from its own configuration, never from
     * capacity-scheduler.xml). The embedded cluster sets them on its RM configuration.
     */
    public static final String PREEMPTION_SITE = "weft/yarn-site-preemption.xml";

    /** Queue for the driver (the YARN ApplicationMaster) in the {@link #DEFAULT} layout. */
    public static final String DEFAULT_DRIVER_QUEUE = "drivers";

    /** Queue for the unmanaged executor application in the {@link #DEFAULT} layout. */
    public static final String DEFAULT_EXECUTOR_QUEUE = "executors";

    /** Driver queue in the {@link #PRODUCTION} layout (full path: the leaf name "drivers" is not unique there). */
    public static final String PRODUCTION_DRIVER_QUEUE = "root.prod.drivers";

    /** Executor queue in the {@link #PRODUCTION} layout (full path: the leaf name "executors" is not unique there). */
    public static final String PRODUCTION_EXECUTOR_QUEUE = "root.prod.executors";

    private CapacitySchedulerLayouts() {}

    /**
     * The URL of a layout on this module's classpath.
     *
     * @param name one of {@link #DEFAULT}, {@link #PRODUCTION}, {@link #PREEMPTION_SITE} (or any resource path)
     * @throws IllegalArgumentException if no such resource exists
     */
    public static URL resource(String name) {
        URL url = CapacitySchedulerLayouts.class.getClassLoader().getResource(name);
        if (url == null) {
            throw new IllegalArgumentException("No CapacityScheduler layout on the classpath: " + name);
        }
        return url;
    }

    /**
     * Opens a layout for reading; the caller closes the stream (Hadoop's {@code Configuration.addResource(InputStream)}
     * reads it lazily, so prefer {@link #resource(String)} there).
     */
    public static InputStream open(String name) {
        try {
            return resource(name).openStream();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot open CapacityScheduler layout " + name, e);
        }
    }
}
