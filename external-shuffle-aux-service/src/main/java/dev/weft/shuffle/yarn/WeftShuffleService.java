package dev.weft.shuffle.yarn;

import dev.weft.shuffle.format.ShuffleServiceMetadata;
import dev.weft.transport.TransportMetrics;
import dev.weft.transport.server.BlockServer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.yarn.server.api.ApplicationInitializationContext;
import org.apache.hadoop.yarn.server.api.ApplicationTerminationContext;
import org.apache.hadoop.yarn.server.api.AuxiliaryLocalPathHandler;
import org.apache.hadoop.yarn.server.api.AuxiliaryService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The NodeManager auxiliary service {@value #SERVICE_NAME}: serves map outputs that Weft executors wrote to this
 * node's local dirs, over the Weft shuffle transport, so they stay fetchable after the executor exits.
 *
 * <p>A thin adapter: {@link AppSecrets} holds the apps, {@link NodeManagerBlockResolver} finds files,
 * {@link BlockServer} serves them, {@link SecretRecoveryStore} (via {@link RecoveryWriter}) persists apps across NM
 * restarts, {@link ShuffleServiceMetrics} publishes counters, {@link ShuffleServiceConfig} reads the keys.
 *
 * <p>Lifecycle (driven by the NodeManager's {@code AuxServices}): {@code setRecoveryPath} (only with NM recovery) and
 * {@code setAuxiliaryLocalPathHandler}, then {@code init} (reads the config), {@code start} (reloads recovered apps,
 * binds the port), {@link #getMetaData} (read once, right after start: the bound port), then
 * {@link #initializeApplication} per container start and {@link #stopApplication} per finished app, and {@code stop}.
 *
 * <p>Failure policy: an error in init or start is logged and recorded ({@code getFailureCause()}), never thrown,
 * because AuxServices rethrows and would take the whole NodeManager down. The service then stays in its lifecycle
 * state but serves nothing: no port is bound and the metadata reports port 0.
 *
 * <p>Threading: lifecycle calls come from the NM's service thread, app callbacks from its dispatcher thread; both
 * only touch concurrent structures and queue disk writes, so they never block on I/O. Serving runs on the block
 * server's own event loops and disk threads.
 */
public class WeftShuffleService extends AuxiliaryService {
    public static final String SERVICE_NAME = "weft_shuffle";
    private static final Logger LOG = LoggerFactory.getLogger(WeftShuffleService.class);

    private final AppSecrets apps = new AppSecrets();
    private final NodeManagerBlockResolver resolver = new NodeManagerBlockResolver(apps, this::localPaths);
    private final TransportMetrics transportMetrics = new TransportMetrics();
    private final ShuffleServiceMetrics metrics =
            new ShuffleServiceMetrics(transportMetrics::snapshot, apps::size, this::isServing);

    private volatile ShuffleServiceConfig config;
    private volatile BlockServer server;
    private volatile RecoveryWriter recovery;
    private volatile int port;
    private volatile Throwable failure;

    private volatile ConfiguredLocalDirs configuredLocalDirs;

    /** The NodeManager's handler when it gave one; otherwise its configured local dirs (see ConfiguredLocalDirs). */
    private AuxiliaryLocalPathHandler localPaths() {
        AuxiliaryLocalPathHandler h = getAuxiliaryLocalPathHandler();
        return h != null ? h : configuredLocalDirs;
    }

    public WeftShuffleService() {
        super(SERVICE_NAME);
    }

    @Override
    protected void serviceInit(Configuration conf) throws Exception {
        try {
            configuredLocalDirs = new ConfiguredLocalDirs(conf);
            config = ShuffleServiceConfig.from(conf);
            Path recoveryDir = recoveryDir();
            if (recoveryDir != null) {
                recovery = new RecoveryWriter(new SecretRecoveryStore(recoveryDir));
            }
        } catch (RuntimeException | LinkageError e) {
            fail("initialize", e);
        }
        super.serviceInit(conf);
    }

    @Override
    protected void serviceStart() throws Exception {
        if (failure == null) {
            try {
                // Recovered apps first, so a reducer that retries the moment the port opens is served.
                recoverApps();
                BlockServer started = new BlockServer(resolver, apps, config.transport(), transportMetrics);
                server = started;
                started.start(config.bindHost(), config.port());
                port = started.port();
                LOG.info(
                        "{} serving on {}:{} with {} recovered application(s)",
                        SERVICE_NAME,
                        config.bindHost(),
                        port,
                        apps.size());
            } catch (IOException | RuntimeException | LinkageError e) {
                fail("start", e);
            }
        }
        try {
            metrics.register(port);
        } catch (RuntimeException | LinkageError e) {
            LOG.warn(
                    "{}: cannot register metrics source {}: {}",
                    SERVICE_NAME,
                    ShuffleServiceMetrics.SOURCE_NAME,
                    e.toString());
        }
        super.serviceStart();
    }

    @Override
    protected void serviceStop() throws Exception {
        try {
            metrics.unregister();
        } catch (RuntimeException e) {
            LOG.warn("{}: cannot unregister metrics: {}", SERVICE_NAME, e.toString());
        }
        closeServer();
        RecoveryWriter writer = recovery;
        if (writer != null) {
            writer.close();
        }
        super.serviceStop();
    }

    @Override
    public void initializeApplication(ApplicationInitializationContext context) {
        String appId = String.valueOf(context.getApplicationId());
        ByteBuffer data = context.getApplicationDataForService();
        if (data == null) {
            LOG.warn(
                    "{}: {} started a container without service data; its shuffle data cannot be served",
                    SERVICE_NAME,
                    appId);
            return;
        }
        AppSecrets.Registration registration;
        try {
            registration =
                    new AppSecrets.Registration(appId, context.getUser(), AppSecrets.secretFromServiceData(data));
        } catch (IllegalArgumentException e) {
            LOG.warn("{}: rejected registration of {}: {}", SERVICE_NAME, appId, e.getMessage());
            return;
        }
        AppSecrets.Outcome outcome = apps.register(registration);
        if (outcome == AppSecrets.Outcome.UNCHANGED) {
            return;
        }
        LOG.info(
                "{}: application {} of user {} {}",
                SERVICE_NAME,
                appId,
                registration.user(),
                outcome == AppSecrets.Outcome.ADDED ? "registered" : "re-registered with a new secret");
        RecoveryWriter writer = recovery;
        if (writer != null) {
            writer.save(registration);
        }
    }

    @Override
    public void stopApplication(ApplicationTerminationContext context) {
        String appId = String.valueOf(context.getApplicationId());
        AppSecrets.Registration removed = apps.unregister(appId);
        resolver.forgetApp(appId);
        RecoveryWriter writer = recovery;
        if (writer != null) {
            writer.delete(appId);
        }
        if (removed != null) {
            LOG.info("{}: application {} stopped; its shuffle data is no longer served", SERVICE_NAME, appId);
        }
    }

    /** Version + bound port ({@link ShuffleServiceMetadata}); port 0 when the service is not serving. */
    @Override
    public ByteBuffer getMetaData() {
        return new ShuffleServiceMetadata(isServing() ? port : 0).encode();
    }

    /** Whether the block server is up (false before start, after a start failure and after stop). */
    public boolean isServing() {
        BlockServer s = server;
        return s != null && failure == null && port > 0 && isInState(STATE.STARTED);
    }

    /** The bound port, 0 when not serving. */
    public int port() {
        return isServing() ? port : 0;
    }

    /** The metrics2 source (also registered with the metrics system); for tests and tools. */
    public ShuffleServiceMetrics metricsSource() {
        return metrics;
    }

    private void recoverApps() {
        Path dir = recoveryDir();
        if (dir == null) {
            return;
        }
        try {
            List<AppSecrets.Registration> recovered = new SecretRecoveryStore(dir).loadAll();
            recovered.forEach(apps::register);
            LOG.info("{}: recovered {} application(s) from {}", SERVICE_NAME, recovered.size(), dir);
        } catch (IOException | RuntimeException e) {
            // Not fatal: new apps are still served; only fetches of apps from before the NM restart will fail.
            LOG.warn("{}: cannot recover applications from {}: {}", SERVICE_NAME, dir, e.toString());
        }
    }

    private Path recoveryDir() {
        org.apache.hadoop.fs.Path path = getRecoveryPath();
        return path == null ? null : Paths.get(path.toUri().getPath());
    }

    private void fail(String phase, Throwable e) {
        failure = e;
        noteFailure(e instanceof Exception ex ? ex : new IllegalStateException(e));
        closeServer();
        LOG.error(
                "{} failed to {}; the NodeManager keeps running but this node serves no Weft shuffle data",
                SERVICE_NAME,
                phase,
                e);
    }

    private void closeServer() {
        BlockServer s = server;
        server = null;
        if (s != null) {
            try {
                s.close();
            } catch (RuntimeException e) {
                LOG.warn("{}: error closing the block server: {}", SERVICE_NAME, e.toString());
            }
        }
    }
}
