package dev.weft.it.testkit;

import dev.weft.shuffle.format.MapOutputIndexFormat;
import dev.weft.shuffle.format.PartitionIndex;
import dev.weft.shuffle.format.ShuffleFileNames;
import dev.weft.shuffle.format.ShuffleServiceMetadata;
import dev.weft.testkit.WeftTestCluster;
import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.security.SecureRandom;
import java.util.zip.CRC32C;
import org.apache.hadoop.yarn.api.records.ApplicationId;
import org.apache.hadoop.yarn.server.nodemanager.NodeManager;
import org.apache.hadoop.yarn.server.nodemanager.containermanager.AuxServices;
import org.apache.hadoop.yarn.server.nodemanager.containermanager.AuxServicesEvent;
import org.apache.hadoop.yarn.server.nodemanager.containermanager.AuxServicesEventType;
import org.apache.hadoop.yarn.server.nodemanager.containermanager.ContainerManagerImpl;

/**
 * An application registered with NodeManager 0's shuffle service the way the NodeManager registers one when a
 * container of it starts (an {@code APPLICATION_INIT} event with the shuffle key as service data), with its shuffle
 * directory there: a tenant whose map output a test writes and fetches by hand. Closing it stops the application at
 * the service.
 */
record ShuffleTenant(ApplicationId app, byte[] secret, java.nio.file.Path shuffleDir, int port, AuxServices aux)
        implements AutoCloseable {
    static ShuffleTenant register(WeftTestCluster cluster, int id) throws Exception {
        NodeManager nm = cluster.embedded().yarn().getNodeManager(0);
        ContainerManagerImpl cm = (ContainerManagerImpl) nm.getNMContext().getContainerManager();
        int port = ShuffleServiceMetadata.decode(cm.getAuxServiceMetaData().get("weft_shuffle"))
                .port();
        ApplicationId app = ApplicationId.newInstance(1_700_000_000_000L, id);
        String user = System.getProperty("user.name");
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        java.nio.file.Path dir = java.nio.file.Path.of(
                        nm.getConfig().getTrimmedStrings("yarn.nodemanager.local-dirs")[0])
                .resolve("usercache")
                .resolve(user)
                .resolve("appcache")
                .resolve(app.toString())
                .resolve(ShuffleFileNames.DIR_UNDER_APP_LOCAL_DIR);
        Files.createDirectories(dir);
        AuxServices aux = auxServices(cm);
        aux.handle(new AuxServicesEvent(
                AuxServicesEventType.APPLICATION_INIT, user, app, "weft_shuffle", ByteBuffer.wrap(secret)));
        return new ShuffleTenant(app, secret, dir, port, aux);
    }

    /** Writes map {@code map} of shuffle 0 (attempt 0) with one partition holding {@code partition}. */
    void writeOutput(int map, byte[] partition) throws Exception {
        Files.write(shuffleDir.resolve(ShuffleFileNames.dataFile(0, map, 0)), partition);
        CRC32C crc = new CRC32C();
        crc.update(partition);
        MapOutputIndexFormat.write(
                PartitionIndex.fromLengths(new long[] {partition.length}, new int[] {(int) crc.getValue()}),
                shuffleDir.resolve(ShuffleFileNames.indexFile(0, map, 0)));
    }

    @Override
    public void close() {
        aux.handle(new AuxServicesEvent(AuxServicesEventType.APPLICATION_STOP, app));
    }

    private static AuxServices auxServices(ContainerManagerImpl cm) throws ReflectiveOperationException {
        Field f = ContainerManagerImpl.class.getDeclaredField("auxiliaryServices");
        f.setAccessible(true);
        return (AuxServices) f.get(cm);
    }
}
