package dev.weft.executor;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Builds the command line of an executor container, as the list of parts YARN's
 * {@code ContainerLaunchContext.setCommands} expects (YARN joins them with spaces into launch_container.sh).
 * Plain Java: the caller passes YARN's expansion markers, e.g. {@code "{{JAVA_HOME}}"} for the Java home and
 * {@code "<LOG_DIR>"} for the log directory, and they stay unexpanded here.
 *
 * <p>The classpath is not part of the command: the container's {@code CLASSPATH} environment variable
 * (set by the YARN backend with the localized engine jars) is what {@code java} uses. Stateless and thread-safe.
 */
public final class ExecutorLauncher {
    /** The opens Hadoop's client code needs on Java 17 (reflection into JDK internals). */
    public static final List<String> ADD_OPENS = List.of(
            "--add-opens=java.base/java.lang=ALL-UNNAMED",
            "--add-opens=java.base/java.util=ALL-UNNAMED",
            "--add-opens=java.base/java.io=ALL-UNNAMED",
            "--add-opens=java.base/java.nio=ALL-UNNAMED",
            "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
            "--add-opens=java.base/java.net=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
            "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED");

    /**
     * What to launch.
     *
     * @param javaHome     the Java home as the container sees it, e.g. {@code {{JAVA_HOME}}}
     * @param heapMiB      the executor's -Xmx in MiB (the container size minus overhead)
     * @param logDir       the container's log dir, e.g. {@code <LOG_DIR>}
     * @param driverHost   the driver endpoint's host
     * @param driverPort   the driver endpoint's port
     * @param memoryBudget bytes for shuffle buffers and cache
     * @param appId        the application id, or null
     * @param conf         {@code --conf} settings for the executor (protocol keys); may be empty
     */
    public record Spec(
            String javaHome,
            int heapMiB,
            String logDir,
            String driverHost,
            int driverPort,
            String executorId,
            int cores,
            long memoryBudget,
            String appId,
            Map<String, String> conf) {
        public Spec {
            Objects.requireNonNull(javaHome, "javaHome is null");
            Objects.requireNonNull(logDir, "logDir is null");
            Objects.requireNonNull(driverHost, "driverHost is null");
            Objects.requireNonNull(executorId, "executorId is null");
            conf = Map.copyOf(conf);
            for (Map.Entry<String, String> e : conf.entrySet()) {
                // The command runs through a shell (launch_container.sh); only values that need no quoting pass.
                if (!SHELL_SAFE.matcher(e.getKey() + "=" + e.getValue()).matches()) {
                    throw new IllegalArgumentException("conf entry '" + e.getKey() + "=" + e.getValue()
                            + "' contains characters that would need shell quoting");
                }
            }
            if (heapMiB <= 0) {
                throw new IllegalArgumentException("heapMiB must be > 0: " + heapMiB);
            }
            if (cores <= 0) {
                throw new IllegalArgumentException("cores must be > 0: " + cores);
            }
            if (memoryBudget <= 0) {
                throw new IllegalArgumentException("memoryBudget must be > 0: " + memoryBudget);
            }
            if (driverPort < 1 || driverPort > 65535) {
                throw new IllegalArgumentException("driverPort out of range: " + driverPort);
            }
        }
    }

    private static final java.util.regex.Pattern SHELL_SAFE = java.util.regex.Pattern.compile("[A-Za-z0-9._:=/,+-]+");

    private ExecutorLauncher() {}

    public static List<String> command(Spec spec) {
        List<String> cmd = new ArrayList<>();
        cmd.add(spec.javaHome() + "/bin/java");
        cmd.add("-Xmx" + spec.heapMiB() + "m");
        // An executor that ran out of heap is in an unknown state; dying lets the driver re-run its tasks.
        cmd.add("-XX:+ExitOnOutOfMemoryError");
        cmd.addAll(ADD_OPENS);
        cmd.add("-Dweft.log.dir=" + spec.logDir());
        cmd.add("-Dlog4j2.configurationFile=" + ExecutorMain.LOG_CONFIG);
        cmd.add(ExecutorMain.class.getName());
        cmd.add("--driver");
        cmd.add(spec.driverHost() + ":" + spec.driverPort());
        cmd.add("--executor-id");
        cmd.add(spec.executorId());
        cmd.add("--cores");
        cmd.add(Integer.toString(spec.cores()));
        cmd.add("--memory-budget");
        cmd.add(Long.toString(spec.memoryBudget()));
        if (spec.appId() != null) {
            cmd.add("--app-id");
            cmd.add(spec.appId());
        }
        // Sorted so that the command (and the container's launch script) is deterministic.
        for (Map.Entry<String, String> e : new TreeMap<>(spec.conf()).entrySet()) {
            cmd.add("--conf");
            cmd.add(e.getKey() + "=" + e.getValue());
        }
        cmd.add("1>" + spec.logDir() + "/stdout");
        cmd.add("2>" + spec.logDir() + "/stderr");
        return List.copyOf(cmd);
    }
}
