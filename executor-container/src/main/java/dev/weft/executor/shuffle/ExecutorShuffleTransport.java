package dev.weft.executor.shuffle;

import dev.weft.shuffle.ShuffleFiles;
import dev.weft.transport.InMemorySecretStore;
import dev.weft.transport.TransportConfig;
import dev.weft.transport.TransportMetrics;
import dev.weft.transport.client.BlockDownloads;
import dev.weft.transport.client.TransportClientFactory;
import dev.weft.transport.server.BlockServer;
import java.io.IOException;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How this executor's map output reaches other executors. When the NodeManager runs Weft's shuffle service
 * ({@code nmServicePort >= 0}) that service serves the files, so they outlive this executor. Otherwise the
 * executor serves its own files with an embedded {@link BlockServer} on an ephemeral port (output is then
 * lost with the executor and recomputed on fetch failure). Either way, reads of other executors' blocks go
 * through a pooled, authenticated {@link TransportBlockFetcher}.
 *
 * <p>Thread-safe; closed once when the executor exits.
 */
public final class ExecutorShuffleTransport implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ExecutorShuffleTransport.class);

    private final BlockServer server;
    private final int port;
    private final TransportClientFactory clients;
    private final TransportBlockFetcher fetcher;

    private ExecutorShuffleTransport(
            BlockServer server, int port, TransportClientFactory clients, TransportBlockFetcher fetcher) {
        this.server = server;
        this.port = port;
        this.clients = clients;
        this.fetcher = fetcher;
    }

    /**
     * @param appId  the YARN application owning this executor's containers: the shuffle service keys
     *               secrets and directories by it
     * @param secret the per-application secret shared with the driver and the shuffle service
     * @param downloadDir where fetched blocks too large for the heap are written (see {@link BlockDownloads})
     * @param integrity seal fetch connections (and require sealing on this executor's own server, when there is no
     *     NodeManager service); see {@link TransportConfig#integrity()}
     */
    public static ExecutorShuffleTransport start(
            String host,
            int nmServicePort,
            String appId,
            byte[] secret,
            ShuffleFiles files,
            Path downloadDir,
            boolean integrity)
            throws IOException {
        TransportConfig config = TransportConfig.defaults().withIntegrity(integrity);
        TransportClientFactory clients = new TransportClientFactory(config, BlockDownloads.under(downloadDir));
        TransportBlockFetcher fetcher = new TransportBlockFetcher(clients, appId, secret);
        if (nmServicePort >= 0) {
            LOG.info("map output is served by the NodeManager's shuffle service on {}:{}", host, nmServicePort);
            return new ExecutorShuffleTransport(null, nmServicePort, clients, fetcher);
        }
        InMemorySecretStore secrets = new InMemorySecretStore();
        secrets.register(appId, secret);
        BlockServer server =
                new BlockServer(new OwnFilesResolver(appId, files), secrets, config, new TransportMetrics());
        server.start(host, 0);
        LOG.info("no NodeManager shuffle service: this executor serves its map output on {}:{}", host, server.port());
        return new ExecutorShuffleTransport(server, server.port(), clients, fetcher);
    }

    /** The port other executors fetch this executor's blocks from. */
    public int port() {
        return port;
    }

    public RemoteBlockFetcher fetcher() {
        return fetcher;
    }

    @Override
    public void close() {
        clients.close();
        if (server != null) {
            server.close();
        }
    }
}
