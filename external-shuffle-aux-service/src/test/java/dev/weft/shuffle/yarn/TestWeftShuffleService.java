package dev.weft.shuffle.yarn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.shuffle.format.ShuffleServiceMetadata;
import dev.weft.transport.ErrorCode;
import dev.weft.transport.TransportConfig;
import dev.weft.transport.TransportException;
import dev.weft.transport.client.BlockClient;
import dev.weft.transport.client.FetchedBlock;
import dev.weft.transport.client.TransportClientFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.metrics2.AbstractMetric;
import org.apache.hadoop.metrics2.impl.MetricsCollectorImpl;
import org.apache.hadoop.metrics2.impl.MetricsRecordImpl;
import org.apache.hadoop.service.Service;
import org.apache.hadoop.yarn.api.records.ApplicationId;
import org.apache.hadoop.yarn.server.api.ApplicationInitializationContext;
import org.apache.hadoop.yarn.server.api.ApplicationTerminationContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The service's whole lifecycle in-process, without a NodeManager: the NM's calls are made by hand. */
class TestWeftShuffleService {
    private static final ApplicationId APP_A = ApplicationId.newInstance(1700000000000L, 1);
    private static final ApplicationId APP_B = ApplicationId.newInstance(1700000000000L, 2);
    private static final byte[] SECRET_A = "secret-of-app-a-0123456789".getBytes(StandardCharsets.UTF_8);
    private static final byte[] SECRET_B = "secret-of-app-b-0123456789".getBytes(StandardCharsets.UTF_8);
    private static final String HOST = "127.0.0.1";

    @TempDir
    Path tmp;

    private Path recoveryDir;
    private TestingLocalPathHandler localPaths;
    private TransportClientFactory clients;
    private WeftShuffleService service;
    private byte[] big;

    @BeforeEach
    void setUp() throws IOException {
        recoveryDir = tmp.resolve("recovery");
        Path localDir = Files.createDirectories(tmp.resolve("nm-local"));
        localPaths = new TestingLocalPathHandler(List.of(localDir));
        big = new byte[300_000];
        new Random(7).nextBytes(big);
        MapOutputFiles.write(
                MapOutputFiles.shuffleDir(localDir, "alice", APP_A.toString()),
                0,
                3,
                1,
                "first".getBytes(StandardCharsets.UTF_8),
                new byte[0],
                big);
        clients = new TransportClientFactory(TransportConfig.fromMap(
                java.util.Map.of(TransportConfig.CONNECT_TIMEOUT, "5000", TransportConfig.FETCH_TIMEOUT, "10000")));
    }

    @AfterEach
    void tearDown() {
        clients.close();
        if (service != null) {
            service.stop();
        }
    }

    private WeftShuffleService startService(Configuration conf) {
        WeftShuffleService s = new WeftShuffleService();
        s.setRecoveryPath(new org.apache.hadoop.fs.Path(recoveryDir.toUri()));
        s.setAuxiliaryLocalPathHandler(localPaths);
        s.init(conf);
        s.start();
        return s;
    }

    private static Configuration conf(int port) {
        Configuration conf = new Configuration(false);
        conf.setInt(ShuffleServiceConfig.PORT, port);
        conf.set(ShuffleServiceConfig.BIND_HOST, HOST);
        return conf;
    }

    private static ApplicationInitializationContext init(String user, ApplicationId app, byte[] secret) {
        return new ApplicationInitializationContext(user, app, ByteBuffer.wrap(secret));
    }

    private int port() {
        ShuffleServiceMetadata meta = ShuffleServiceMetadata.decode(service.getMetaData());
        return meta.port();
    }

    private List<FetchedBlock> fetchA(byte[] secret) throws Exception {
        try (BlockClient client = clients.connect(HOST, port(), APP_A.toString(), secret)) {
            return client.fetch(0, 3, 1, 0, 1, 2).get(10, TimeUnit.SECONDS);
        }
    }

    private void assertFetchesA() throws Exception {
        List<FetchedBlock> blocks = fetchA(SECRET_A);
        assertArrayEquals("first".getBytes(StandardCharsets.UTF_8), bytesOf(blocks.get(0)));
        assertEquals(0, blocks.get(1).length());
        assertArrayEquals(big, bytesOf(blocks.get(2)));
    }

    private static byte[] bytesOf(FetchedBlock block) {
        ByteBuffer data = block.data();
        byte[] bytes = new byte[data.remaining()];
        data.get(bytes);
        return bytes;
    }

    private ErrorCode connectFailure(String appId, byte[] secret) {
        return assertThrows(TransportException.class, () -> clients.connect(HOST, port(), appId, secret))
                .code();
    }

    private long metric(String name) {
        MetricsCollectorImpl collector = new MetricsCollectorImpl();
        service.metricsSource().getMetrics(collector, true);
        for (MetricsRecordImpl record : collector.getRecords()) {
            for (AbstractMetric m : record.metrics()) {
                if (m.name().equals(name)) {
                    return m.value().longValue();
                }
            }
        }
        throw new AssertionError("no metric " + name);
    }

    @Test
    void servesRegisteredAppsAndRefusesEverythingElse() throws Exception {
        service = startService(conf(0));
        assertTrue(service.isServing());
        assertTrue(port() > 0);
        assertEquals(1, metric("Healthy"));
        service.initializeApplication(init("alice", APP_A, SECRET_A));
        service.initializeApplication(init("alice", APP_A, SECRET_A)); // once per container start: idempotent
        assertEquals(1, metric("RegisteredApps"));

        assertFetchesA();
        assertEquals(3, metric("BlocksServed"));
        assertEquals(5 + big.length, metric("BytesServed"));

        assertEquals(ErrorCode.AUTH_FAILED, connectFailure(APP_A.toString(), SECRET_B));
        assertEquals(ErrorCode.AUTH_FAILED, connectFailure(APP_B.toString(), SECRET_B));
        assertEquals(2, metric("AuthFailures"));
        assertEquals(2, metric("Errors_AUTH_FAILED"), "an unknown app gets the same reply as a wrong secret");

        // Another app, authenticated for itself, cannot reach app A's files with A's ids.
        service.initializeApplication(init("bob", APP_B, SECRET_B));
        try (BlockClient b = clients.connect(HOST, port(), APP_B.toString(), SECRET_B)) {
            ExecutionException e = assertThrows(
                    ExecutionException.class, () -> b.fetch(0, 3, 1, 0).get(10, TimeUnit.SECONDS));
            assertEquals(ErrorCode.BLOCK_NOT_FOUND, ((TransportException) e.getCause()).code());
            ExecutionException range = assertThrows(ExecutionException.class, () -> fetchOne(APP_A, 0, 3, 1, 3));
            assertEquals(ErrorCode.OUT_OF_RANGE, ((TransportException) range.getCause()).code());
        }

        long protocolErrorsBefore = metric("ProtocolErrors") + metric("Errors");
        sendGarbage(port());
        assertTrue(metric("ProtocolErrors") + metric("Errors") > protocolErrorsBefore, "garbage is counted");
        assertFetchesA();
        assertTrue(metric("FetchesServed") >= 2);
    }

    private List<FetchedBlock> fetchOne(ApplicationId app, int shuffle, int map, long attempt, int reduce)
            throws Exception {
        try (BlockClient client = clients.connect(HOST, port(), app.toString(), SECRET_A)) {
            return client.fetch(shuffle, map, attempt, reduce).get(10, TimeUnit.SECONDS);
        }
    }

    /** Random bytes on a raw socket: the server must close the connection, not hang or die. */
    private static void sendGarbage(int port) throws IOException {
        try (Socket socket = new Socket(InetAddress.getByName(HOST), port)) {
            socket.setSoTimeout(10_000);
            byte[] garbage = new byte[4096];
            new Random(3).nextBytes(garbage);
            garbage[0] = 0x7f; // a huge length prefix, whatever the rest decodes to
            OutputStream out = socket.getOutputStream();
            try {
                out.write(garbage);
                out.flush();
            } catch (IOException closedEarly) {
                // The server may close before reading it all; that is the point.
            }
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[8192];
            try {
                while (in.read(buffer) >= 0) {
                    // drain the challenge and the error until the server closes
                }
            } catch (IOException reset) {
                // A reset is a close too.
            }
        }
    }

    @Test
    void stopApplicationRefusesItsFetchesOnOldAndNewConnections() throws Exception {
        service = startService(conf(0));
        service.initializeApplication(init("alice", APP_A, SECRET_A));
        try (BlockClient open = clients.connect(HOST, port(), APP_A.toString(), SECRET_A)) {
            assertEquals(1, open.fetch(0, 3, 1, 0).get(10, TimeUnit.SECONDS).size());
            service.stopApplication(new ApplicationTerminationContext(APP_A));
            ExecutionException e = assertThrows(
                    ExecutionException.class, () -> open.fetch(0, 3, 1, 0).get(10, TimeUnit.SECONDS));
            assertEquals(ErrorCode.UNKNOWN_APP, ((TransportException) e.getCause()).code());
        }
        assertEquals(ErrorCode.AUTH_FAILED, connectFailure(APP_A.toString(), SECRET_A));
        assertEquals(0, metric("RegisteredApps"));
    }

    @Test
    void appsSurviveARestartWithTheSameRecoveryPath() throws Exception {
        service = startService(conf(0));
        service.initializeApplication(init("alice", APP_A, SECRET_A));
        service.initializeApplication(init("bob", APP_B, SECRET_B));
        service.stopApplication(new ApplicationTerminationContext(APP_B));
        assertFetchesA();
        service.stop(); // drains the recovery writes

        service = startService(conf(0));
        assertEquals(1, metric("RegisteredApps"), "A recovered, B stayed stopped");
        assertFetchesA();
        assertEquals(ErrorCode.AUTH_FAILED, connectFailure(APP_B.toString(), SECRET_B));

        service.stopApplication(new ApplicationTerminationContext(APP_A));
        service.stop();
        service = startService(conf(0));
        assertEquals(0, metric("RegisteredApps"), "a stopped app's recovery file is gone");
    }

    @Test
    void aPortInUseIsLoggedNotThrownAndNothingIsServed() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            service = startService(conf(taken.getLocalPort()));
            assertEquals(Service.STATE.STARTED, service.getServiceState(), "the NM sees a started service");
            assertFalse(service.isServing());
            assertNotNull(service.getFailureCause());
            assertEquals(0, ShuffleServiceMetadata.decode(service.getMetaData()).port());
            assertEquals(0, metric("Healthy"));
            service.initializeApplication(init("alice", APP_A, SECRET_A)); // must not throw on the NM dispatcher
            service.stopApplication(new ApplicationTerminationContext(APP_A));
        }
        service.stop();
        assertEquals(Service.STATE.STOPPED, service.getServiceState());
    }

    @Test
    void aConfigErrorIsLoggedNotThrownAndNamesTheKey() {
        Configuration conf = conf(0);
        conf.set(ShuffleServiceConfig.PORT, "not-a-port");
        service = startService(conf);
        assertFalse(service.isServing());
        assertTrue(service.getFailureCause().getMessage().contains(ShuffleServiceConfig.PORT));
        assertEquals(0, ShuffleServiceMetadata.decode(service.getMetaData()).port());
    }

    @Test
    void badServiceDataIsRejectedWithoutThrowing() throws Exception {
        service = startService(conf(0));
        service.initializeApplication(new ApplicationInitializationContext("alice", APP_A, null));
        service.initializeApplication(init("alice", APP_A, new byte[0]));
        service.initializeApplication(init("../alice", APP_A, SECRET_A));
        assertEquals(0, metric("RegisteredApps"));
        assertEquals(ErrorCode.AUTH_FAILED, connectFailure(APP_A.toString(), SECRET_A));
    }
}
