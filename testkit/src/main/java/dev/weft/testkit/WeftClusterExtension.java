package dev.weft.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JUnit 5 extension behind {@link WeftCluster}, which registers it: starts the cluster a test class asks for
 * before its {@code @BeforeAll} methods (or earlier, when a constructor of a {@code PER_CLASS} instance asks for
 * it) and resolves {@link WeftTestCluster} parameters of constructors, test methods and {@code @BeforeAll},
 * {@code @BeforeEach}, {@code @AfterEach} and {@code @AfterAll} methods.
 *
 * <p>Lifetimes: a class-scoped cluster lives in the store of the annotated class's extension context and is
 * stopped when that context closes, after the class's {@code @AfterAll} methods; {@code @Nested} classes use their
 * enclosing class's cluster unless annotated themselves. A {@linkplain WeftCluster#shared shared} cluster lives in
 * the root context's store, keyed by its settings, and is stopped when the test run ends. Clusters work under
 * {@code target/weft-testkit} (system property {@code weft.testkit.dir}), one directory each.
 *
 * <p>Thread-safe: JUnit's stores start each cluster once even when classes run in parallel.
 */
public final class WeftClusterExtension implements BeforeAllCallback, ParameterResolver {
    private static final Logger LOG = LoggerFactory.getLogger(WeftClusterExtension.class);

    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(WeftClusterExtension.class);

    /** The system property naming the directory clusters work in. */
    public static final String DIR_PROPERTY = "weft.testkit.dir";

    private static final AtomicInteger CLUSTERS_STARTED = new AtomicInteger();
    private static final AtomicInteger SHARED_CLUSTERS_STARTED = new AtomicInteger();

    /** Clusters this JVM's extension started so far, class-scoped and shared. */
    public static int clustersStarted() {
        return CLUSTERS_STARTED.get();
    }

    /** Shared clusters this JVM's extension started so far: one per distinct setting, however many classes. */
    public static int sharedClustersStarted() {
        return SHARED_CLUSTERS_STARTED.get();
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        cluster(context);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return parameterContext.getParameter().getType() == WeftTestCluster.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return cluster(extensionContext);
    }

    /** The cluster of the class {@code context} belongs to, started on first use. */
    static WeftTestCluster cluster(ExtensionContext context) {
        ExtensionContext owner = owner(context);
        Class<?> testClass = owner.getRequiredTestClass();
        WeftCluster settings =
                AnnotationSupport.findAnnotation(testClass, WeftCluster.class).orElseThrow();
        ClusterSpec spec = ClusterSpec.of(settings);
        if (settings.shared()) {
            return context.getRoot()
                    .getStore(NAMESPACE)
                    .getOrComputeIfAbsent(spec, s -> start(s, "weft-shared-" + s.id(), true), ClusterResource.class)
                    .cluster();
        }
        String name = "weft-" + testClass.getName().replace('$', '.');
        return owner.getStore(NAMESPACE)
                .getOrComputeIfAbsent(spec, s -> start(s, name, false), ClusterResource.class)
                .cluster();
    }

    /** The nearest class-level context whose class carries {@link WeftCluster}, {@code context} included. */
    private static ExtensionContext owner(ExtensionContext context) {
        for (Optional<ExtensionContext> c = Optional.of(context);
                c.isPresent();
                c = c.get().getParent()) {
            ExtensionContext e = c.get();
            if (e.getTestMethod().isEmpty()
                    && e.getTestClass().isPresent()
                    && AnnotationSupport.isAnnotated(e.getTestClass().get(), WeftCluster.class)) {
                return e;
            }
        }
        throw new ExtensionConfigurationException(
                "WeftTestCluster is only available in classes annotated with @WeftCluster (or nested in one): "
                        + context.getUniqueId());
    }

    private static ClusterResource start(ClusterSpec spec, String name, boolean shared) {
        Path dir = Path.of(System.getProperty(DIR_PROPERTY, "target/weft-testkit"))
                .toAbsolutePath()
                .resolve(name);
        long started = System.nanoTime();
        try {
            WeftTestCluster cluster = WeftTestCluster.start(dir, name, spec, shared);
            CLUSTERS_STARTED.incrementAndGet();
            if (shared) {
                SHARED_CLUSTERS_STARTED.incrementAndGet();
            }
            LOG.info(
                    "testkit: cluster {} ({}{}) up in {} ms under {}",
                    name,
                    spec.id(),
                    shared ? ", shared" : "",
                    (System.nanoTime() - started) / 1_000_000,
                    dir);
            return new ClusterResource(name, cluster);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the test cluster " + name, e);
        }
    }

    /**
     * What the stores hold: closed by JUnit when its context closes. {@link AutoCloseable} is what Jupiter 5.13+
     * closes; the deprecated {@code CloseableResource} keeps it closed where that is switched off
     * ({@code junit.jupiter.extensions.store.close.autocloseable.enabled=false}). Jupiter calls one of the two.
     */
    @SuppressWarnings("deprecation")
    static final class ClusterResource implements AutoCloseable, ExtensionContext.Store.CloseableResource {
        private final String name;
        private final WeftTestCluster cluster;
        private final AtomicBoolean closed = new AtomicBoolean();

        ClusterResource(String name, WeftTestCluster cluster) {
            this.name = name;
            this.cluster = cluster;
        }

        WeftTestCluster cluster() {
            return cluster;
        }

        @Override
        public void close() {
            if (closed.compareAndSet(false, true)) {
                long started = System.nanoTime();
                cluster.close();
                LOG.info("testkit: cluster {} stopped in {} ms", name, (System.nanoTime() - started) / 1_000_000);
            }
        }
    }
}
