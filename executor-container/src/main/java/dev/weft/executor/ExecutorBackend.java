package dev.weft.executor;

import dev.weft.conf.HadoopConfigurations;
import dev.weft.error.WeftError;
import dev.weft.exec.ExecutorEnv;
import dev.weft.exec.ShuffleBlockProvider;
import dev.weft.exec.TaskContext;
import dev.weft.executor.proto.Envelope;
import dev.weft.executor.proto.ErrorCode;
import dev.weft.executor.proto.Heartbeat;
import dev.weft.executor.proto.RegisterExecutor;
import dev.weft.executor.proto.RegisteredAck;
import dev.weft.executor.rpc.AuthException;
import dev.weft.executor.rpc.DriverClient;
import dev.weft.executor.rpc.DriverRequestException;
import dev.weft.executor.rpc.Messages;
import dev.weft.executor.rpc.ProtocolVersion;
import dev.weft.executor.rpc.RpcConfig;
import dev.weft.executor.shuffle.ExecutorShuffleTransport;
import dev.weft.executor.shuffle.LocalFirstBlockProvider;
import dev.weft.executor.shuffle.ShuffleBlockProviderFactory;
import dev.weft.memory.MemoryBudget;
import dev.weft.metrics.TaskMetrics;
import dev.weft.shuffle.BlockLocation;
import dev.weft.shuffle.ShuffleFiles;
import dev.weft.task.TaskDescription;
import dev.weft.task.TaskOutcome;
import dev.weft.task.TaskRunner;
import dev.weft.transport.auth.AuthSecret;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.hadoop.security.UserGroupInformation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One executor: connects to the driver, registers, runs the tasks it is sent on a fixed pool of
 * {@code cores} threads through {@link TaskRunner} (exactly as the local backend does), reports each outcome,
 * heartbeats, and kills tasks on request. It is the remote twin of {@code dev.weft.local.LocalBackend}.
 *
 * <p>Lifecycle: construct, then {@link #run()} once on any thread; it blocks until the driver sends Shutdown
 * or the connection is lost, cleans up, and returns the {@link ExitCode} (it never calls
 * {@code System.exit}, so tests can run executors in-process). {@link #stop()} ends it from another thread.
 *
 * <p>Threading: driver commands arrive on the connection's event loop and only enqueue work or flip kill
 * flags; task threads run tasks and send their status updates; heartbeats run on the event loop.
 */
public final class ExecutorBackend {
    private static final Logger LOG = LoggerFactory.getLogger(ExecutorBackend.class);

    private final ExecutorSettings settings;
    private final ShuffleBlockProviderFactory blockProviderFactory;
    private final Map<Long, RunningTask> tasks = new ConcurrentHashMap<>();
    private final CompletableFuture<ExitCode> exit = new CompletableFuture<>();
    private final String executorId;
    private DriverClient driver;
    private ExecutorEnv env;
    /** Set before {@link #run()} by the executor process (not by embeddings and tests that run several per JVM). */
    private volatile boolean publishMetrics;

    private volatile ExecutorMetrics metrics;
    private ExecutorShuffleTransport shuffleTransport;
    private ExecutorService pool;
    private volatile boolean registered;

    /** A launched attempt; {@code ctx} is set once its thread starts it, {@code killReason} once killed. */
    private static final class RunningTask {
        volatile TaskContext ctx;
        volatile String killReason;
    }

    public ExecutorBackend(ExecutorSettings settings, ShuffleBlockProviderFactory blockProviderFactory) {
        this.settings = Objects.requireNonNull(settings, "settings is null");
        this.blockProviderFactory = Objects.requireNonNull(blockProviderFactory, "blockProviderFactory is null");
        this.executorId = settings.args().executorId();
    }

    /** Runs the executor until Shutdown or driver loss; returns how it ended. Call once. */
    public ExitCode run() {
        ExecutorArgs args = settings.args();
        // Integrity defaults to on where the cluster is secure; the driver decides the same way from the same config.
        boolean secureCluster = UserGroupInformation.isSecurityEnabled();
        RpcConfig rpc = args.rpcConfig(secureCluster);
        driver = new DriverClient(args.driverHost(), args.driverPort(), settings.secret(), rpc, new Commands());
        try {
            env = createEnv(args.shuffleIntegrity(secureCluster));
        } catch (IOException | RuntimeException e) {
            LOG.error(
                    "executor {}: cannot set up its local directories {}: {}",
                    executorId,
                    settings.localDirs(),
                    e.toString(),
                    e);
            return ExitCode.INTERNAL_ERROR;
        }
        pool = Executors.newFixedThreadPool(args.cores(), new DefaultThreadFactory("weft-task", true));
        ExecutorEnv started = env;
        metrics = new ExecutorMetrics(
                tasks::size, args.memoryBudget(), () -> started.memory().used());
        if (publishMetrics) {
            metrics.register();
        }
        try {
            return connectAndServe(args, rpc);
        } finally {
            metrics.unregister();
            cleanUp();
        }
    }

    /**
     * Publishes this executor's figures through the JVM's Hadoop metrics system (JMX, configured sinks) while it runs.
     * For the executor process, which runs one executor; call before {@link #run()}.
     */
    public ExecutorBackend publishingMetrics() {
        publishMetrics = true;
        return this;
    }

    /** Ends {@link #run()} as if the driver had sent Shutdown (for embedding and tests). */
    public void stop() {
        exit.complete(ExitCode.SHUTDOWN);
    }

    private ExitCode connectAndServe(ExecutorArgs args, RpcConfig rpc) {
        try {
            driver.connect();
        } catch (AuthException e) {
            LOG.error(
                    "executor {}: authentication with the driver at {}:{} failed ({}): {}",
                    executorId,
                    args.driverHost(),
                    args.driverPort(),
                    e.code(),
                    e.getMessage());
            return ExitCode.AUTH_FAILED;
        } catch (IOException e) {
            LOG.error("executor {}: {}", executorId, e.getMessage());
            return ExitCode.DRIVER_LOST;
        }
        RegisteredAck ack;
        try {
            ack = driver.register(RegisterExecutor.newBuilder()
                    .setProtocolVersion(ProtocolVersion.CURRENT)
                    .setExecutorId(executorId)
                    .setHost(settings.host())
                    .setCores(args.cores())
                    .setContainerId(settings.containerId())
                    .setShuffleHost(settings.host())
                    .setShufflePort(args.shufflePort())
                    .setAppId(args.appId() == null ? "" : args.appId())
                    .build());
        } catch (DriverRequestException e) {
            LOG.error(
                    "executor {}: registration with the driver failed ({}): {}", executorId, e.code(), e.getMessage());
            return e.code() == ErrorCode.INTERNAL ? ExitCode.DRIVER_LOST : ExitCode.REGISTRATION_REFUSED;
        }
        long interval = ack.getHeartbeatIntervalMs() > 0
                ? ack.getHeartbeatIntervalMs()
                : rpc.heartbeatInterval().toMillis();
        registered = true;
        driver.every(interval, this::heartbeat);
        LOG.info(
                "executor {} registered with the driver at {}:{} (app {}, {} cores, memory budget {} MiB, "
                        + "shuffle dirs {}, heartbeat every {} ms)",
                executorId,
                args.driverHost(),
                args.driverPort(),
                args.appId(),
                args.cores(),
                args.memoryBudget() >> 20,
                settings.shuffleDirs(),
                interval);
        ExitCode code;
        try {
            code = exit.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            code = ExitCode.INTERNAL_ERROR;
        } catch (ExecutionException e) {
            code = ExitCode.INTERNAL_ERROR;
        }
        return code;
    }

    /** @param shuffleIntegrity seal this executor's shuffle fetches (and, without a NodeManager service, its server) */
    private ExecutorEnv createEnv(boolean shuffleIntegrity) throws IOException {
        List<Path> shuffleDirs = new ArrayList<>();
        for (Path dir : settings.shuffleDirs()) {
            shuffleDirs.add(Files.createDirectories(dir));
        }
        ShuffleFiles files = new ShuffleFiles(shuffleDirs);
        Path tmp = Files.createDirectories(settings.tmpDir());
        String appId =
                settings.args().appId() == null ? executorId : settings.args().appId();
        shuffleTransport = ExecutorShuffleTransport.start(
                settings.host(),
                settings.args().shufflePort(),
                appId,
                settings.secret().derive(AuthSecret.SHUFFLE).bytes(),
                files,
                tmp.resolve("fetched"),
                shuffleIntegrity);
        BlockLocation location = new BlockLocation(executorId, settings.host(), shuffleTransport.port());
        ShuffleBlockProvider blocks = blockProviderFactory == ShuffleBlockProviderFactory.DEFAULT
                ? new LocalFirstBlockProvider(
                        executorId,
                        settings.host(),
                        files,
                        shuffleTransport.fetcher(),
                        settings.args().shuffleFetchConfig())
                : blockProviderFactory.create(executorId, files);
        return new ExecutorEnv(
                executorId,
                location,
                new MemoryBudget(settings.args().memoryBudget()),
                files,
                tmp,
                new RemoteBroadcastResolver(driver),
                new RemoteMapOutputLookup(driver),
                blocks,
                HadoopConfigurations.create(),
                new RemoteCommitAuthority(driver));
    }

    private void runTask(TaskDescription desc, RunningTask slot) {
        TaskOutcome outcome;
        try {
            if (slot.killReason != null) {
                outcome = new TaskOutcome.Killed(slot.killReason, new TaskMetrics());
            } else {
                outcome = TaskRunner.run(desc, env, ctx -> {
                    slot.ctx = ctx;
                    // A kill that arrived between launch and here saw no context; honour it now.
                    if (slot.killReason != null) {
                        ctx.kill();
                    }
                });
            }
        } finally {
            tasks.remove(desc.taskId());
        }
        metrics.taskEnded(outcome);
        sendStatus(desc, outcome);
    }

    private void sendStatus(TaskDescription desc, TaskOutcome outcome) {
        byte[] bytes;
        try {
            bytes = Messages.serializeOutcome(outcome);
        } catch (RuntimeException e) {
            // Something the outcome holds (an accumulator value, the exception) is not serializable.
            outcome = failure(
                    WeftError.NOT_SERIALIZABLE,
                    e.getClass().getName(),
                    "the outcome of " + desc.name() + " cannot be serialized: " + e.getMessage(),
                    outcome.metrics());
            bytes = Messages.serializeOutcome(outcome);
        }
        // Leave room for the envelope's own fields; a result that cannot travel fails the task visibly.
        if (bytes.length > driver.config().maxFrameBytes() - 64) {
            outcome = failure(
                    WeftError.RESULT_TOO_LARGE,
                    null,
                    "the outcome of "
                            + desc.name() + " is " + bytes.length + " bytes, more than the maximum frame of "
                            + driver.config().maxFrameBytes() + " bytes (" + RpcConfig.MAX_FRAME_BYTES.name() + ")",
                    outcome.metrics());
            bytes = Messages.serializeOutcome(outcome);
        }
        LOG.info("{} ended: {}", desc.name(), outcome instanceof TaskOutcome.Failure f ? f.summary() : "success");
        driver.send(Messages.statusUpdate(desc.taskId(), bytes, outcome));
    }

    /** A failure the executor itself decides on; {@code className} is null when nothing was thrown. */
    private static TaskOutcome failure(WeftError code, String className, String message, TaskMetrics metrics) {
        return new TaskOutcome.ExceptionFailure(code, className, message, "", null, metrics);
    }

    private void heartbeat() {
        driver.send(Envelope.newBuilder()
                .setHeartbeat(Heartbeat.newBuilder()
                        .setExecutorId(executorId)
                        .addAllRunningTaskIds(tasks.keySet())
                        .setMemoryUsedBytes(env.memory().used()))
                .build());
    }

    private void cleanUp() {
        for (RunningTask t : tasks.values()) {
            t.killReason = "executor shutting down";
            TaskContext ctx = t.ctx;
            if (ctx != null) {
                ctx.kill();
            }
        }
        if (pool != null) {
            pool.shutdownNow();
            try {
                if (!pool.awaitTermination(10, TimeUnit.SECONDS)) {
                    LOG.warn("executor {}: task threads still running after 10 s; exiting anyway", executorId);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        driver.close();
        if (shuffleTransport != null) {
            shuffleTransport.close();
        }
        // Only a registered executor owns its tmp dir: a refused duplicate would delete the live one's files.
        if (registered) {
            deleteRecursively(settings.tmpDir());
        }
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            LOG.warn("cannot delete {}: {}", dir, e.toString());
        }
    }

    /** The driver's commands, on the connection's event loop: enqueue or flag, never block. */
    private final class Commands implements DriverClient.Listener {
        @Override
        public void launchTask(TaskDescription task) {
            RunningTask slot = new RunningTask();
            if (tasks.putIfAbsent(task.taskId(), slot) != null) {
                LOG.error("executor {}: ignoring a second launch of task {}", executorId, task.taskId());
                return;
            }
            try {
                pool.execute(() -> runTask(task, slot));
            } catch (RejectedExecutionException e) {
                tasks.remove(task.taskId());
                LOG.warn("executor {}: {} arrived while shutting down", executorId, task.name());
            }
        }

        @Override
        public void killTask(long taskId, String reason) {
            RunningTask slot = tasks.get(taskId);
            if (slot == null) {
                LOG.debug("executor {}: kill of task {} that is not running", executorId, taskId);
                return;
            }
            LOG.info("executor {}: killing task {}: {}", executorId, taskId, reason);
            slot.killReason = reason.isEmpty() ? "killed" : reason;
            TaskContext ctx = slot.ctx;
            if (ctx != null) {
                ctx.kill();
            }
        }

        @Override
        public void updateCredentials(byte[] tokens) {
            ExecutorCredentials.add(executorId, tokens);
        }

        @Override
        public void removeDataset(int nodeId) {
            // On the event loop on purpose: a task launched after the request (same connection) must not find the
            // blocks. Dropping them is a map walk and a few local file deletions.
            long before = env.memory().storageUsed();
            env.blockManager().removeDataset(nodeId);
            LOG.info(
                    "executor {}: dropped the cached partitions of dataset {} ({} bytes of storage memory freed)",
                    executorId,
                    nodeId,
                    before - env.memory().storageUsed());
        }

        @Override
        public void removeShuffle(int shuffleId) {
            // On the event loop: no task can read an unreachable shuffle, and a directory scan per local dir is short.
            try {
                int deleted = env.shuffleFiles().deleteShuffle(shuffleId);
                LOG.info(
                        "executor {}: deleted {} files of shuffle {}, which nothing reads again",
                        executorId,
                        deleted,
                        shuffleId);
            } catch (IOException e) {
                LOG.warn("executor {}: cannot delete the files of shuffle {}: {}", executorId, shuffleId, e.toString());
            }
        }

        @Override
        public void shutdown(String reason) {
            LOG.info("executor {}: the driver asked it to shut down ({})", executorId, reason);
            exit.complete(ExitCode.SHUTDOWN);
        }

        @Override
        public void disconnected(String reason) {
            // Before registration the failing connect or register call reports the cause itself.
            if (exit.complete(ExitCode.DRIVER_LOST) && registered) {
                LOG.error(
                        "executor {}: lost the driver: {}; exiting with code {}",
                        executorId,
                        reason,
                        ExitCode.DRIVER_LOST.code());
            }
        }
    }
}
