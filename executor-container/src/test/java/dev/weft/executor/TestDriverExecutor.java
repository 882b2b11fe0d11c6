package dev.weft.executor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.weft.error.WeftError;
import dev.weft.executor.driver.DriverEndpoint;
import dev.weft.executor.driver.DriverServices;
import dev.weft.executor.proto.Envelope;
import dev.weft.executor.proto.ErrorCode;
import dev.weft.executor.proto.Heartbeat;
import dev.weft.executor.proto.RegisterExecutor;
import dev.weft.executor.proto.StatusUpdate;
import dev.weft.executor.rpc.DriverClient;
import dev.weft.executor.rpc.DriverRequestException;
import dev.weft.executor.rpc.ProtocolVersion;
import dev.weft.executor.rpc.RpcConfig;
import dev.weft.executor.shuffle.ShuffleBlockProviderFactory;
import dev.weft.id.ExecutorId;
import dev.weft.id.ShuffleId;
import dev.weft.id.TaskAttemptId;
import dev.weft.plan.ParallelCollectionNode;
import dev.weft.serde.RecordInput;
import dev.weft.serde.RecordOutput;
import dev.weft.serde.ValueSerializer;
import dev.weft.shuffle.BlockLocation;
import dev.weft.shuffle.MapStatus;
import dev.weft.task.ResultFunction;
import dev.weft.task.ResultTask;
import dev.weft.task.Task;
import dev.weft.task.TaskDescription;
import dev.weft.task.TaskKilledException;
import dev.weft.task.TaskOutcome;
import dev.weft.transport.auth.AuthSecret;
import java.io.ByteArrayOutputStream;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real DriverEndpoint and real executors (ExecutorBackend on threads of this JVM) over loopback TCP. */
class TestDriverExecutor {
    private static final AuthSecret SECRET = AuthSecret.random();
    private static final RpcConfig CONFIG = new RpcConfig(
            1 << 20,
            Duration.ofSeconds(5),
            Duration.ofSeconds(5),
            Duration.ofMillis(100),
            Duration.ofMillis(400),
            false);
    // Task code runs deserialized in this JVM, so it can signal the test through statics.
    private static volatile CountDownLatch taskStarted;

    @TempDir
    Path dir;

    private final TestingHandler handler = new TestingHandler();
    private final TestingServices services = new TestingServices();
    private final ExecutorService executorThreads = Executors.newCachedThreadPool();
    private final List<ExecutorBackend> backends = new ArrayList<>();
    private final List<DriverClient> clients = new ArrayList<>();
    private DriverEndpoint endpoint;

    @BeforeEach
    void start() {
        endpoint = new DriverEndpoint("127.0.0.1", 0, SECRET, handler, services, CONFIG);
    }

    @AfterEach
    void stop() throws InterruptedException {
        backends.forEach(ExecutorBackend::stop);
        clients.forEach(DriverClient::close);
        endpoint.close();
        executorThreads.shutdown();
        assertTrue(executorThreads.awaitTermination(15, TimeUnit.SECONDS), "executors end");
    }

    // ---- fakes -------------------------------------------------------------------------------------

    record Registered(String executorId, String host, int cores, String containerId) {}

    record Lost(String executorId, String reason) {}

    record Ended(String executorId, long taskId, TaskOutcome outcome) {}

    /** Records callbacks in order, as the scheduler's queue would. */
    static final class TestingHandler implements DriverEndpoint.Handler {
        final BlockingQueue<Object> events = new LinkedBlockingQueue<>();
        /** Executor ids whose registration the driver refuses as not launched by it. */
        final java.util.Set<String> notLaunched = java.util.concurrent.ConcurrentHashMap.newKeySet();

        @Override
        public String refusal(String executorId, String containerId) {
            return notLaunched.contains(executorId) ? "names executor id '" + executorId + "', never launched" : null;
        }

        @Override
        public void executorRegistered(ExecutorId executorId, String host, int cores, String containerId) {
            events.add(new Registered(executorId.value(), host, cores, containerId));
        }

        @Override
        public void executorLost(ExecutorId executorId, String reason) {
            events.add(new Lost(executorId.value(), reason));
        }

        @Override
        public void taskEnded(ExecutorId executorId, TaskAttemptId taskId, TaskOutcome outcome) {
            events.add(new Ended(executorId.value(), taskId.value(), outcome));
        }

        <T> T next(Class<T> type) throws InterruptedException {
            Object e = events.poll(10, TimeUnit.SECONDS);
            assertNotNull(e, "no " + type.getSimpleName() + " within 10 s");
            return assertInstanceOf(type, e);
        }
    }

    static final class TestingServices implements DriverServices {
        static final MapStatus STATUS =
                MapStatus.of(3, 1, 17, new BlockLocation("exec-9", "h9", -1), new long[] {5, 0});
        final AtomicInteger broadcastCalls = new AtomicInteger();

        @Override
        public MapStatus[] mapStatuses(int shuffleId) {
            return switch (shuffleId) {
                case 3 -> new MapStatus[] {null, STATUS};
                case 5 -> throw new IllegalStateException("tracker broke");
                default -> null;
            };
        }

        @Override
        public byte[] broadcast(long id) {
            broadcastCalls.incrementAndGet();
            if (id != 7) {
                return null;
            }
            RecordOutput out = new RecordOutput(16);
            ValueSerializer.INSTANCE.write("hello", out);
            return out.toByteArray();
        }

        final List<String> commitAsks = new java.util.concurrent.CopyOnWriteArrayList<>();

        @Override
        public String canCommit(String executorId, int stageId, int partition, long taskId) {
            commitAsks.add(executorId + " asked for task " + taskId);
            return taskId % 2 == 0 ? null : "odd task " + taskId;
        }
    }

    // ---- helpers -----------------------------------------------------------------------------------

    private CompletableFuture<ExitCode> startExecutor(String id, AuthSecret secret) {
        ExecutorArgs args = new ExecutorArgs(
                "127.0.0.1", endpoint.address().getPort(), id, 2, 64L << 20, "app-test", -1, CONFIG.toMap(), null);
        ExecutorBackend backend = new ExecutorBackend(
                new ExecutorSettings(args, secret, List.of(dir), "container_" + id, "localhost"),
                ShuffleBlockProviderFactory.DEFAULT);
        backends.add(backend);
        return CompletableFuture.supplyAsync(backend::run, executorThreads);
    }

    private CompletableFuture<ExitCode> startRegisteredExecutor(String id) throws InterruptedException {
        CompletableFuture<ExitCode> exit = startExecutor(id, SECRET);
        assertEquals(new Registered(id, "localhost", 2, "container_" + id), handler.next(Registered.class));
        return exit;
    }

    private static TaskDescription task(long taskId, ResultFunction<Integer, Object> fn) throws Exception {
        ParallelCollectionNode<Integer> node = new ParallelCollectionNode<>(
                0, "test", null, IntStream.range(0, 1000).boxed().toList(), 2);
        Task t = new ResultTask<>(0, node, node.splits()[1], fn);
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bos)) {
            out.writeObject(t); // as DagScheduler does
        }
        return new TaskDescription(taskId, 0, 0, 1, 0, bos.toByteArray());
    }

    private static Object value(TaskOutcome outcome) {
        TaskOutcome.Success s = assertInstanceOf(
                TaskOutcome.Success.class,
                outcome,
                () -> outcome instanceof TaskOutcome.ExceptionFailure f ? f.stackTrace() : String.valueOf(outcome));
        return ValueSerializer.INSTANCE.read(new RecordInput(s.value()));
    }

    private static ResultFunction<Integer, Object> count() {
        return (ctx, it) -> {
            long n = 0;
            while (it.hasNext()) {
                it.next();
                n++;
            }
            return n;
        };
    }

    private DriverClient rawClient(DriverClient.Listener listener) throws Exception {
        DriverClient c = new DriverClient("127.0.0.1", endpoint.address().getPort(), SECRET, CONFIG, listener);
        clients.add(c);
        c.connect();
        return c;
    }

    private static RegisterExecutor registration(String id) {
        return RegisterExecutor.newBuilder()
                .setProtocolVersion(ProtocolVersion.CURRENT)
                .setExecutorId(id)
                .setHost("localhost")
                .setCores(1)
                .setContainerId("c")
                .setShuffleHost("localhost")
                .setShufflePort(-1)
                .build();
    }

    private static final class IgnoringListener implements DriverClient.Listener {
        final CompletableFuture<String> disconnected = new CompletableFuture<>();

        @Override
        public void launchTask(TaskDescription task) {}

        @Override
        public void killTask(long taskId, String reason) {}

        @Override
        public void shutdown(String reason) {}

        @Override
        public void disconnected(String reason) {
            disconnected.complete(reason);
        }
    }

    // ---- tests -------------------------------------------------------------------------------------

    @Test
    void runsARealTaskAndReportsItsValue() throws Exception {
        startRegisteredExecutor("exec-1");
        assertEquals(java.util.Set.of("exec-1"), endpoint.executors());
        endpoint.launchTask("exec-1", task(1, count()));
        Ended ended = handler.next(Ended.class);
        assertEquals("exec-1", ended.executorId());
        assertEquals(1, ended.taskId());
        assertEquals(500L, value(ended.outcome()), "split 1 of 1000 records in 2 slices");
        assertEquals(0, endpoint.sealedRegistrations(), "integrity is off on both sides");
        assertTrue(Files.isDirectory(dir.resolve("weft/shuffle")));
        assertTrue(Files.isDirectory(dir.resolve("weft/tmp/exec-1")));
    }

    @Test
    void aDriverRequiringIntegrityRunsTasksOverSealedConnections() throws Exception {
        endpoint.close();
        RpcConfig sealing = RpcConfig.fromMap(
                java.util.Map.of(RpcConfig.INTEGRITY.name(), "true", "weft.executor.heartbeat-interval", "100ms"));
        endpoint = new DriverEndpoint("127.0.0.1", 0, SECRET, handler, services, sealing);
        // The executor's own setting is off: it seals because the driver asks.
        startRegisteredExecutor("exec-1");
        assertEquals(1, endpoint.sealedRegistrations());
        endpoint.launchTask("exec-1", task(1, count()));
        assertEquals(500L, value(handler.next(Ended.class).outcome()));
        assertEquals(0, endpoint.malformedFrames());
    }

    @Test
    void failingTaskEndsWithExceptionFailure() throws Exception {
        startRegisteredExecutor("exec-1");
        endpoint.launchTask("exec-1", task(2, (ctx, it) -> {
            throw new IllegalStateException("boom");
        }));
        TaskOutcome.ExceptionFailure f = assertInstanceOf(
                TaskOutcome.ExceptionFailure.class, handler.next(Ended.class).outcome());
        assertEquals(WeftError.USER_CODE_FAILED, f.error());
        assertEquals(IllegalStateException.class.getName(), f.className());
        assertEquals("boom", f.message());
        assertNotNull(f.serializedThrowable());
    }

    @Test
    void aResultThatCannotBeSerializedEndsWithItsCode() throws Exception {
        startRegisteredExecutor("exec-1");
        endpoint.launchTask("exec-1", task(13, (ctx, it) -> new Object()));
        TaskOutcome.ExceptionFailure f = assertInstanceOf(
                TaskOutcome.ExceptionFailure.class, handler.next(Ended.class).outcome());
        assertEquals(WeftError.NOT_SERIALIZABLE, f.error());
        assertTrue(!f.error().isRetriable());
    }

    @Test
    void anOutOfMemoryErrorInATaskEndsWithItsCode() throws Exception {
        startRegisteredExecutor("exec-1");
        endpoint.launchTask("exec-1", task(14, (ctx, it) -> {
            throw new OutOfMemoryError("injected");
        }));
        TaskOutcome.ExceptionFailure f = assertInstanceOf(
                TaskOutcome.ExceptionFailure.class, handler.next(Ended.class).outcome());
        assertEquals(WeftError.OUT_OF_MEMORY, f.error());
    }

    @Test
    void killStopsARunningTask() throws Exception {
        startRegisteredExecutor("exec-1");
        taskStarted = new CountDownLatch(1);
        endpoint.launchTask("exec-1", task(3, (ctx, it) -> {
            taskStarted.countDown();
            while (!ctx.isKilled()) {
                Thread.sleep(5);
            }
            throw new TaskKilledException("stopped on request");
        }));
        assertTrue(taskStarted.await(10, TimeUnit.SECONDS));
        endpoint.killTask("exec-1", 3, "job cancelled");
        Ended ended = handler.next(Ended.class);
        assertEquals(3, ended.taskId());
        assertEquals(
                WeftError.TASK_KILLED,
                assertInstanceOf(TaskOutcome.Killed.class, ended.outcome()).error());
    }

    @Test
    void tasksReadBroadcastsAndMapStatusesFromTheDriver() throws Exception {
        startRegisteredExecutor("exec-1");
        ResultFunction<Integer, Object> fn = (ctx, it) -> {
            MapStatus[] statuses = ctx.env().mapOutputs().statuses(new ShuffleId(3));
            return ctx.env().broadcasts().value(7) + ":" + statuses.length + ":" + (statuses[0] == null) + ":"
                    + statuses[1].location();
        };
        endpoint.launchTask("exec-1", task(4, fn));
        assertEquals("hello:2:true:exec-9@h9", value(handler.next(Ended.class).outcome()));
        endpoint.launchTask("exec-1", task(5, fn));
        assertEquals("hello:2:true:exec-9@h9", value(handler.next(Ended.class).outcome()));
        assertEquals(1, services.broadcastCalls.get(), "one fetch per broadcast id per executor");

        endpoint.launchTask(
                "exec-1", task(6, (ctx, it) -> ctx.env().broadcasts().value(8)));
        TaskOutcome.ExceptionFailure unknownBroadcast = assertInstanceOf(
                TaskOutcome.ExceptionFailure.class, handler.next(Ended.class).outcome());
        assertEquals(WeftError.USER_CODE_FAILED, unknownBroadcast.error());
        assertEquals(IllegalStateException.class.getName(), unknownBroadcast.className());
    }

    @Test
    void aTaskAsksTheDriverWhetherItMayCommitAndTheDriverKnowsWhichExecutorAsks() throws Exception {
        startRegisteredExecutor("exec-1");
        ResultFunction<Integer, Object> fn = (ctx, it) ->
                ctx.env().commitAuthority().canCommit(ctx.stageId(), ctx.partitionId(), ctx.taskAttemptId());
        endpoint.launchTask("exec-1", task(10, fn));
        assertEquals(true, value(handler.next(Ended.class).outcome()));
        endpoint.launchTask("exec-1", task(11, fn));
        assertEquals(false, value(handler.next(Ended.class).outcome()));
        assertEquals(List.of("exec-1 asked for task 10", "exec-1 asked for task 11"), services.commitAsks);
    }

    @Test
    void unpersistDropsTheDatasetsCachedPartitionsBeforeTheNextTaskRuns() throws Exception {
        startRegisteredExecutor("exec-1");
        ResultFunction<Integer, Object> cache = (ctx, it) -> {
            java.util.Iterator<Object> cached = ctx.env()
                    .blockManager()
                    .getOrCompute(
                            new dev.weft.storage.BlockManager.BlockId(5, 0),
                            ValueSerializer.INSTANCE,
                            false,
                            () -> java.util.stream.IntStream.range(0, 10_000)
                                    .<Object>mapToObj(i -> "record " + i)
                                    .iterator(),
                            ctx);
            cached.forEachRemaining(r -> {});
            return ctx.env().memory().storageUsed() + ":"
                    + ctx.env().blockManager().blocks();
        };
        endpoint.launchTask("exec-1", task(20, cache));
        String cachedState = (String) value(handler.next(Ended.class).outcome());
        assertTrue(Long.parseLong(cachedState.split(":")[0]) > 10_000, cachedState);

        endpoint.removeDataset(5);
        ResultFunction<Integer, Object> probe = (ctx, it) -> ctx.env().memory().storageUsed() + ":"
                + ctx.env().blockManager().blocks();
        endpoint.launchTask("exec-1", task(21, probe));
        assertEquals("0:[]", value(handler.next(Ended.class).outcome()));
    }

    @Test
    void removeShuffleDeletesThatShufflesFilesOnTheExecutorAndNoOther() throws Exception {
        startRegisteredExecutor("exec-1");
        Path shuffleDir = dir.resolve("weft/shuffle");
        List<Path> doomed = List.of(
                Files.writeString(shuffleDir.resolve("shuffle_5_0_0.data"), "x"),
                Files.writeString(shuffleDir.resolve("shuffle_5_0_0.index"), "x"),
                Files.writeString(shuffleDir.resolve("shuffle_5_1_3.data"), "x"));
        Path other = Files.writeString(shuffleDir.resolve("shuffle_55_0_0.data"), "x");
        endpoint.removeShuffle(5);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (doomed.stream().anyMatch(Files::exists)) {
            assertTrue(System.nanoTime() < deadline, "shuffle 5's files still there after 10 s");
            Thread.sleep(10);
        }
        assertTrue(Files.exists(other), "shuffle 55 is another shuffle");
        // The executor goes on working.
        endpoint.launchTask("exec-1", task(1, count()));
        assertEquals(500L, value(handler.next(Ended.class).outcome()));
    }

    @Test
    void anAuthenticatedPeerNamingAnExecutorTheDriverNeverLaunchedIsRefused() throws Exception {
        handler.notLaunched.add("impostor");
        DriverClient client = rawClient(new IgnoringListener());
        DriverRequestException refused = org.junit.jupiter.api.Assertions.assertThrows(
                DriverRequestException.class, () -> client.register(registration("impostor")));
        assertEquals(ErrorCode.NOT_LAUNCHED, refused.code());
        assertTrue(refused.getMessage().contains("never launched"), refused.getMessage());
        assertEquals(java.util.Set.of(), endpoint.executors(), "nothing registered");
        assertTrue(endpoint.refusedConnections() >= 1);
    }

    @Test
    void freshCredentialsReachRegisteredExecutorsAndThoseThatRegisterLater() throws Exception {
        CredentialsListener early = new CredentialsListener();
        DriverClient first = rawClient(early);
        first.register(registration("early"));
        handler.next(Registered.class);

        endpoint.updateCredentials(new byte[] {1, 2, 3});
        assertArrayEquals(new byte[] {1, 2, 3}, early.tokens.get(5, TimeUnit.SECONDS));

        CredentialsListener late = new CredentialsListener();
        DriverClient second = rawClient(late);
        second.register(registration("late"));
        handler.next(Registered.class);
        assertArrayEquals(
                new byte[] {1, 2, 3},
                late.tokens.get(5, TimeUnit.SECONDS),
                "an executor launched with the old tokens gets the new ones when it registers");
    }

    private static final class CredentialsListener extends IgnoringListenerBase {
        final CompletableFuture<byte[]> tokens = new CompletableFuture<>();

        @Override
        public void updateCredentials(byte[] t) {
            tokens.complete(t);
        }
    }

    private abstract static class IgnoringListenerBase implements DriverClient.Listener {
        @Override
        public void launchTask(TaskDescription task) {}

        @Override
        public void killTask(long taskId, String reason) {}

        @Override
        public void shutdown(String reason) {}

        @Override
        public void disconnected(String reason) {}
    }

    @Test
    void requestsAreAnsweredByIdWithTypedErrors() throws Exception {
        DriverClient client = rawClient(new IgnoringListener());
        client.register(registration("probe"));
        assertEquals(Registered.class, handler.next(Registered.class).getClass());

        CompletableFuture<MapStatus[]> statuses = client.mapStatuses(3);
        CompletableFuture<byte[]> broadcast = client.broadcast(7);
        assertNull(statuses.get(5, TimeUnit.SECONDS)[0]);
        assertEquals(TestingServices.STATUS.location(), statuses.get()[1].location());
        assertArrayEquals(services.broadcast(7), broadcast.get(5, TimeUnit.SECONDS));

        assertEquals(ErrorCode.UNKNOWN_SHUFFLE, errorCode(client.mapStatuses(4)));
        assertEquals(ErrorCode.INTERNAL, errorCode(client.mapStatuses(5)));
        assertEquals(ErrorCode.UNKNOWN_BROADCAST, errorCode(client.broadcast(8)));
        assertEquals(java.util.Set.of("probe"), endpoint.executors(), "errors leave the connection up");
    }

    @Test
    void anOutcomeTheDriverCannotReadKeepsTheCodeTheExecutorClassifiedItAs() throws Exception {
        DriverClient client = rawClient(new IgnoringListener());
        client.register(registration("probe"));
        assertEquals("probe", handler.next(Registered.class).executorId());
        // Keep the connection alive like a real executor, so it is not declared lost mid-test.
        client.every(
                50,
                () -> client.send(Envelope.newBuilder()
                        .setHeartbeat(Heartbeat.newBuilder().setExecutorId("probe"))
                        .build()));
        client.send(unreadableStatus(20, WeftError.NOT_SERIALIZABLE.id()));
        client.send(unreadableStatus(21, WeftError.SHUFFLE_BLOCK_CORRUPT.id()));
        client.send(unreadableStatus(22, 0));
        assertEquals(WeftError.NOT_SERIALIZABLE, failureOf(handler.next(Ended.class), 20));
        // Without its block ids a fetch failure cannot re-run its map output, nor a success deliver a value.
        assertEquals(WeftError.INTERNAL_ERROR, failureOf(handler.next(Ended.class), 21));
        assertEquals(WeftError.INTERNAL_ERROR, failureOf(handler.next(Ended.class), 22));
    }

    private static Envelope unreadableStatus(long taskId, int errorCode) {
        return Envelope.newBuilder()
                .setStatusUpdate(StatusUpdate.newBuilder()
                        .setTaskId(taskId)
                        .setOutcome(ByteString.copyFrom(new byte[] {1, 2, 3}))
                        .setErrorCode(errorCode))
                .build();
    }

    private static WeftError failureOf(Ended ended, long taskId) {
        assertEquals(taskId, ended.taskId());
        return assertInstanceOf(TaskOutcome.ExceptionFailure.class, ended.outcome())
                .error();
    }

    private static ErrorCode errorCode(CompletableFuture<?> f) {
        ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(5, TimeUnit.SECONDS));
        return assertInstanceOf(DriverRequestException.class, e.getCause()).code();
    }

    @Test
    void executorWithWrongSecretIsRefusedAndCounted() throws Exception {
        assertEquals(
                ExitCode.AUTH_FAILED,
                startExecutor("intruder", AuthSecret.random()).get(10, TimeUnit.SECONDS));
        assertEquals(1, endpoint.refusedConnections());
        assertTrue(endpoint.executors().isEmpty());
        assertTrue(handler.events.isEmpty(), "no callback for a refused connection");
    }

    @Test
    void duplicateExecutorIdIsRefused() throws Exception {
        startRegisteredExecutor("exec-1");
        assertEquals(
                ExitCode.REGISTRATION_REFUSED, startExecutor("exec-1", SECRET).get(10, TimeUnit.SECONDS));
        assertEquals(java.util.Set.of("exec-1"), endpoint.executors(), "the first one stays");
        endpoint.launchTask("exec-1", task(7, count()));
        assertEquals(500L, value(handler.next(Ended.class).outcome()));
    }

    @Test
    void silentExecutorIsLostAfterTheHeartbeatTimeout() throws Exception {
        startRegisteredExecutor("exec-1"); // heartbeats every 100 ms
        IgnoringListener listener = new IgnoringListener();
        DriverClient silent = rawClient(listener); // registers but never heartbeats
        silent.register(registration("silent"));
        assertEquals("silent", handler.next(Registered.class).executorId());
        assertEquals("silent", handler.next(Lost.class).executorId());
        assertNotNull(listener.disconnected.get(5, TimeUnit.SECONDS), "the driver closed the silent connection");
        // exec-1 outlived several timeouts because its heartbeats arrive.
        assertEquals(java.util.Set.of("exec-1"), endpoint.executors());
        assertTrue(handler.events.isEmpty(), String.valueOf(handler.events));
    }

    @Test
    void shutdownEndsTheExecutorWithExitCodeZero() throws Exception {
        CompletableFuture<ExitCode> exit = startRegisteredExecutor("exec-1");
        endpoint.shutdownExecutor("exec-1");
        assertEquals(ExitCode.SHUTDOWN, exit.get(10, TimeUnit.SECONDS));
        assertEquals(0, ExitCode.SHUTDOWN.code());
        assertEquals("exec-1", handler.next(Lost.class).executorId());
        assertTrue(Files.notExists(dir.resolve("weft/tmp/exec-1")), "the executor's tmp dir is removed");
    }

    @Test
    void losingTheDriverEndsTheExecutorWithANonZeroCode() throws Exception {
        CompletableFuture<ExitCode> exit = startRegisteredExecutor("exec-1");
        endpoint.close();
        assertEquals(ExitCode.DRIVER_LOST, exit.get(10, TimeUnit.SECONDS));
        assertTrue(ExitCode.DRIVER_LOST.code() != 0);
    }

    @Test
    void launchOnAnUnknownExecutorReportsItLost() throws Exception {
        endpoint.launchTask("nobody", task(8, count()));
        Ended ended = handler.next(Ended.class);
        assertEquals(8, ended.taskId());
        assertEquals(
                WeftError.EXECUTOR_LOST,
                assertInstanceOf(TaskOutcome.ExecutorLost.class, ended.outcome())
                        .error());
    }

    @Test
    void taskLargerThanAFrameFailsAndTheExecutorStaysUsable() throws Exception {
        startRegisteredExecutor("exec-1");
        endpoint.launchTask("exec-1", new TaskDescription(9, 0, 0, 0, 0, new byte[CONFIG.maxFrameBytes() + 1]));
        TaskOutcome.ExceptionFailure f = assertInstanceOf(
                TaskOutcome.ExceptionFailure.class, handler.next(Ended.class).outcome());
        assertEquals(WeftError.TASK_TOO_LARGE, f.error());
        endpoint.launchTask("exec-1", task(10, count()));
        assertEquals(500L, value(handler.next(Ended.class).outcome()));
    }

    @Test
    void resultLargerThanAFrameFailsTheTask() throws Exception {
        startRegisteredExecutor("exec-1");
        endpoint.launchTask("exec-1", task(11, (ctx, it) -> new byte[CONFIG.maxFrameBytes()]));
        TaskOutcome.ExceptionFailure f = assertInstanceOf(
                TaskOutcome.ExceptionFailure.class, handler.next(Ended.class).outcome());
        assertEquals(WeftError.RESULT_TOO_LARGE, f.error());
    }

    @Test
    void garbageConnectionDoesNotDisturbOthers() throws Exception {
        startRegisteredExecutor("exec-1");
        try (Socket s = new Socket("127.0.0.1", endpoint.address().getPort())) {
            OutputStream out = s.getOutputStream();
            out.write(new byte[] {0, 0, 0, 6, 'g', 'a', 'r', 'b', 'a', 'g'});
            out.flush();
            assertEquals(-1, drain(s), "the endpoint closed the garbage connection");
        }
        assertEquals(1, endpoint.malformedFrames());
        endpoint.launchTask("exec-1", task(12, count()));
        assertEquals(500L, value(handler.next(Ended.class).outcome()));
    }

    /** Reads until end of stream (the challenge comes first); returns -1 once closed. */
    private static int drain(Socket s) throws Exception {
        s.setSoTimeout(10_000);
        byte[] buf = new byte[256];
        int n;
        while ((n = s.getInputStream().read(buf)) >= 0) {
            assertTrue(n >= 0);
        }
        return n;
    }
}
