package dev.weft.shuffle.yarn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.shuffle.format.ShuffleServiceMetadata;
import dev.weft.transport.ErrorCode;
import dev.weft.transport.TransportConfig;
import dev.weft.transport.TransportException;
import dev.weft.transport.client.TransportClientFactory;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Method;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.apache.hadoop.service.Service;
import org.apache.hadoop.yarn.conf.YarnConfiguration;
import org.apache.hadoop.yarn.server.MiniYARNCluster;
import org.apache.hadoop.yarn.server.nodemanager.NodeManager;
import org.apache.hadoop.yarn.server.nodemanager.containermanager.AuxServices;
import org.apache.hadoop.yarn.server.nodemanager.containermanager.ContainerManagerImpl;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A real NodeManager (MiniYARNCluster, one NM) loads {@code weft_shuffle} from the shaded jar through the isolated
 * aux-service class loader ({@code .classpath}), the way an operator installs it. Runs after {@code package}.
 */
class WeftShuffleServiceMiniYarnIT {
    private static MiniYARNCluster cluster;

    @BeforeAll
    static void startCluster() {
        Path jar = Paths.get(System.getProperty("weft.shaded.jar", "target/missing-shaded.jar"))
                .toAbsolutePath();
        assertTrue(Files.isRegularFile(jar), "shaded jar not built: " + jar);
        YarnConfiguration conf = new YarnConfiguration();
        conf.set(YarnConfiguration.NM_AUX_SERVICES, WeftShuffleService.SERVICE_NAME);
        conf.set("yarn.nodemanager.aux-services.weft_shuffle.class", "dev.weft.shuffle.yarn.WeftShuffleService");
        conf.set("yarn.nodemanager.aux-services.weft_shuffle.classpath", jar.toString());
        conf.setInt(ShuffleServiceConfig.PORT, 0);
        conf.setInt(YarnConfiguration.YARN_MINICLUSTER_NM_PMEM_MB, 2048);
        cluster = new MiniYARNCluster("weft-aux-it", 1, 1, 1);
        cluster.init(conf);
        cluster.start();
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.stop();
        }
    }

    private static NodeManager nodeManager() {
        return cluster.getNodeManager(0);
    }

    private static int servicePort() {
        ContainerManagerImpl containers =
                (ContainerManagerImpl) nodeManager().getNMContext().getContainerManager();
        Map<String, ByteBuffer> metadata = containers.getAuxServiceMetaData();
        ByteBuffer ours = metadata.get(WeftShuffleService.SERVICE_NAME);
        assertNotNull(ours, "no weft_shuffle metadata; services: " + metadata.keySet());
        return ShuffleServiceMetadata.decode(ours).port();
    }

    /** The NM's instance of our service; AuxServices lists its services only package-privately, hence reflection. */
    private static Object loadedService() throws ReflectiveOperationException {
        AuxServices auxServices = nodeManager().getNMContext().getAuxServices();
        Method getServices = AuxServices.class.getDeclaredMethod("getServices");
        getServices.setAccessible(true);
        Collection<?> services = (Collection<?>) getServices.invoke(auxServices);
        assertEquals(1, services.size(), "only weft_shuffle is configured: " + services);
        return services.iterator().next();
    }

    @Test
    void theNodeManagerRunsTheServiceFromTheShadedJarAndSurvivesBadClients() throws Exception {
        int port = servicePort();
        assertTrue(port > 0, "the service did not start inside the NodeManager (port 0)");
        assertEquals(
                "AuxiliaryServiceWithCustomClassLoader",
                loadedService().getClass().getSimpleName(),
                "the NM must load the service in the isolated class loader, i.e. from the shaded jar");

        try (TransportClientFactory clients = new TransportClientFactory(TransportConfig.defaults())) {
            TransportException e = assertThrows(
                    TransportException.class,
                    () -> clients.connect("127.0.0.1", port, "application_1_0001", new byte[] {1, 2, 3}));
            assertEquals(ErrorCode.AUTH_FAILED, e.code());
        }
        try (Socket socket = new Socket("127.0.0.1", port)) {
            OutputStream out = socket.getOutputStream();
            out.write(new byte[] {0x7f, 0x7f, 0x7f, 0x7f, 1, 2, 3});
            out.flush();
            socket.setSoTimeout(10_000);
            while (socket.getInputStream().read() >= 0) {
                // until the server closes the connection
            }
        }

        assertEquals(Service.STATE.STARTED, nodeManager().getServiceState());
        assertTrue(nodeManager().getNMContext().getNodeHealthStatus().getIsNodeHealthy());
        assertEquals(port, servicePort(), "still the same service");

        // The metrics source is visible where the NM's /jmx servlet reads from (in a mini cluster under a name of its
        // own, WeftShuffleService-<port>, so that several NodeManagers in one JVM do not replace each other's).
        MBeanServer jmx = ManagementFactory.getPlatformMBeanServer();
        Set<ObjectName> names =
                jmx.queryNames(new ObjectName("Hadoop:service=*,name=WeftShuffleService-" + port), null);
        assertFalse(names.isEmpty(), "WeftShuffleService metrics are not in JMX");
        ObjectName name = names.iterator().next();
        assertEquals(1, ((Number) jmx.getAttribute(name, "Healthy")).intValue());
        // JMX values are a cached snapshot (refreshed once per metrics period), so only their presence is checked here;
        // the counting itself is covered by TestWeftShuffleService.
        for (String attribute : new String[] {
            "OpenConnections",
            "RegisteredApps",
            "BlocksServed",
            "BytesServed",
            "FetchLatencyAvgMillis",
            "AuthFailures",
            "BusyRejections",
            "Errors"
        }) {
            assertTrue(jmx.getAttribute(name, attribute) instanceof Number, attribute);
        }
    }
}
