package dev.weft.executor;

import dev.weft.annotations.SuppressForbidden;
import dev.weft.conf.HadoopConfigurations;
import dev.weft.executor.shuffle.ShuffleBlockProviderFactory;
import java.util.Map;

/**
 * The entry point of an executor container's JVM.
 *
 * <p>Arguments:
 * <ul>
 *   <li>{@code --driver host:port} (required): the driver endpoint to connect to;</li>
 *   <li>{@code --executor-id ID} (required): unique in the application; letters, digits, '.', '_', '-';</li>
 *   <li>{@code --cores N} (required): task threads;</li>
 *   <li>{@code --memory-budget SIZE} (required): bytes for shuffle buffers, aggregation and cache, e.g.
 *       {@code 536870912} or {@code 512m};</li>
 *   <li>{@code --app-id ID} (optional): the YARN application id, for logs;</li>
 *   <li>{@code --shuffle-port PORT} (optional, default -1): the port of the node's shuffle service, stored in
 *       this executor's map statuses;</li>
 *   <li>{@code --conf key=value} (optional, repeatable): protocol settings, see
 *       {@link dev.weft.executor.rpc.RpcConfig} (e.g. {@code weft.rpc.max-frame-bytes=64m}), and shuffle fetch
 *       settings, see {@link dev.weft.executor.shuffle.ShuffleFetchConfig};</li>
 *   <li>{@code --shuffle-block-provider-factory CLASS} (optional): a
 *       {@link ShuffleBlockProviderFactory} with a public no-argument constructor.</li>
 * </ul>
 *
 * <p>Environment: {@code WEFT_AUTH_SECRET} (required, base64: the application's secret);
 * {@code LOCAL_DIRS} (comma-separated; shuffle files go to {@code <first>/weft/shuffle}, spills to
 * {@code <first>/weft/tmp/<executor id>}; a fresh temporary directory when unset, for tests);
 * {@code CONTAINER_ID} (reported to the driver); {@code NM_HOST} (the host name reported to the driver;
 * default: the local host name). System property {@code weft.log.dir} names the log directory.
 *
 * <p>Exit status: see {@link ExitCode} (0 after the driver's Shutdown, non-zero with an error log line otherwise).
 * Runs on the main thread; the work happens in {@link ExecutorBackend}.
 */
public final class ExecutorMain {
    /** The executor's log4j2 configuration; not named log4j2.xml so that it never configures the driver's JVM. */
    public static final String LOG_CONFIG = "weft-executor-log4j2.xml";

    private ExecutorMain() {}

    @SuppressForbidden("the executor launcher: its exit code is the container's exit status")
    public static void main(String[] args) {
        // Before the first logger is created, so that log4j2 picks our file even without the launcher's -D.
        if (System.getProperty("log4j2.configurationFile") == null) {
            System.setProperty("log4j2.configurationFile", LOG_CONFIG);
        }
        Thread.setDefaultUncaughtExceptionHandler(ExecutorMain::uncaught);
        System.exit(run(args, System.getenv()).code());
    }

    /**
     * A thread died of an exception no one caught. Out of heap, the executor halts with {@link
     * ExitCode#OUT_OF_MEMORY} (no shutdown hooks: they may need memory too), so that YARN's report says why; other
     * exceptions are logged and the thread's owner decides.
     */
    @SuppressForbidden(
            "the last words of a JVM out of heap go to the container's stderr, which YARN's diagnostics show")
    private static void uncaught(Thread t, Throwable e) {
        if (e instanceof OutOfMemoryError) {
            System.err.println("executor out of Java heap in thread " + t.getName() + ": " + e);
            Runtime.getRuntime().halt(ExitCode.OUT_OF_MEMORY.code());
        }
        org.slf4j.LoggerFactory.getLogger(ExecutorMain.class).error("uncaught exception in thread {}", t.getName(), e);
    }

    /** Parses, builds and runs an executor; everything {@link #main} does except exiting. */
    @SuppressForbidden("bad arguments also go to the container's stderr file: logging may not be configured yet")
    static ExitCode run(String[] args, Map<String, String> env) {
        ExecutorSettings settings;
        ShuffleBlockProviderFactory factory;
        try {
            // The job's weft.* settings (rpc, fetch) reach the executor through its localized job configuration.
            ExecutorArgs parsed = ExecutorArgs.parse(args).withJobSettings(HadoopConfigurations.create());
            settings = ExecutorSettings.fromEnvironment(parsed, env, ContainerSecret.read());
            factory = blockProviderFactory(parsed.blockProviderFactoryClass());
        } catch (IllegalArgumentException | IllegalStateException e) {
            org.slf4j.LoggerFactory.getLogger(ExecutorMain.class).error("executor cannot start: {}", e.getMessage());
            System.err.println("executor cannot start: " + e.getMessage());
            return ExitCode.BAD_ARGUMENTS;
        }
        return new ExecutorBackend(settings, factory).publishingMetrics().run();
    }

    static ShuffleBlockProviderFactory blockProviderFactory(String className) {
        if (className == null) {
            return ShuffleBlockProviderFactory.DEFAULT;
        }
        try {
            Class<?> c = Class.forName(className, true, Thread.currentThread().getContextClassLoader());
            return (ShuffleBlockProviderFactory) c.getConstructor().newInstance();
        } catch (ReflectiveOperationException | ClassCastException e) {
            throw new IllegalArgumentException(
                    "--shuffle-block-provider-factory: cannot instantiate " + className
                            + " as a ShuffleBlockProviderFactory: " + e,
                    e);
        }
    }
}
