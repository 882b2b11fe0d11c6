package dev.weft.transport.server;

import static java.util.Objects.requireNonNull;

import dev.weft.transport.BlockResolver;
import dev.weft.transport.SecretStore;
import dev.weft.transport.TransportConfig;
import dev.weft.transport.TransportMetrics;
import dev.weft.transport.protocol.FrameDecoder;
import dev.weft.transport.protocol.FrameEncoder;
import dev.weft.transport.protocol.Protocol;
import dev.weft.transport.seal.SealedChannel;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.Closeable;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The block server: accepts connections, authenticates them per app against a {@link SecretStore} and streams blocks
 * that a {@link BlockResolver} locates, zero-copy from the files.
 *
 * <p>Lifecycle: construct, {@link #start} once, {@link #close} once (idempotent; also valid without start). Each
 * server owns its event loops, disk threads and metrics; there is no static state, so several servers (or a reloaded
 * aux service) can live in one JVM. {@link #start} and {@link #close} block and must not be called from an event loop;
 * the other methods are thread-safe.
 */
public final class BlockServer implements Closeable {
    private static final Logger LOG = LoggerFactory.getLogger(BlockServer.class);

    private final BlockResolver resolver;
    private final SecretStore secrets;
    private final TransportConfig config;
    private final TransportMetrics metrics;
    private final SecureRandom random = new SecureRandom();

    private EventLoopGroup bossGroup;
    private EventLoopGroup workerGroup;
    private ThreadPoolExecutor diskExecutor;
    private ChannelGroup channels;
    private Channel serverChannel;
    private boolean closed;

    public BlockServer(BlockResolver resolver, SecretStore secrets, TransportConfig config, TransportMetrics metrics) {
        this.resolver = requireNonNull(resolver, "resolver is null");
        this.secrets = requireNonNull(secrets, "secrets is null");
        this.config = requireNonNull(config, "config is null");
        this.metrics = requireNonNull(metrics, "metrics is null");
    }

    /** Binds {@code bindHost:port} (port 0 = ephemeral) and starts serving; returns once bound. */
    public synchronized void start(String bindHost, int port) throws IOException {
        if (serverChannel != null || closed) {
            throw new IllegalStateException(closed ? "server closed" : "server already started");
        }
        bossGroup = new NioEventLoopGroup(1, new DefaultThreadFactory("weft-transport-accept", true));
        workerGroup = new NioEventLoopGroup(
                config.serverIoThreads(), new DefaultThreadFactory("weft-transport-server", true));
        diskExecutor = new ThreadPoolExecutor(
                config.diskThreads(),
                config.diskThreads(),
                60,
                TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(config.diskQueueCapacity()),
                new DefaultThreadFactory("weft-transport-disk", true));
        diskExecutor.allowCoreThreadTimeOut(true);
        channels = new DefaultChannelGroup("weft-transport", bossGroup.next());
        InFlightBudget budget = new InFlightBudget(config.maxBytesInFlightPerServer());
        BlockOpener opener = new BlockOpener(
                resolver, new OpenFileLimits(config.maxOpenFiles(), config.maxOpenFilesPerApp(), metrics));
        ConnectionGate gate =
                new ConnectionGate(config.maxUnauthenticatedConnections(), config.maxUnauthenticatedPerAddress());
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(bossGroup, workerGroup)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.SO_KEEPALIVE, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        channels.add(ch);
                        SealedChannel.install(ch.pipeline(), Protocol.MAX_PRE_AUTH_FRAME_BYTES);
                        ch.pipeline()
                                .addLast(
                                        "frameDecoder",
                                        FrameDecoder.forAuthenticatingServer(
                                                config.maxFrameBytes(), Protocol.MAX_PRE_AUTH_FRAME_BYTES))
                                .addLast(
                                        "idle",
                                        new IdleStateHandler(
                                                0, 0, config.idleTimeout().toMillis(), TimeUnit.MILLISECONDS))
                                .addLast("frameEncoder", new FrameEncoder())
                                .addLast(
                                        "handler",
                                        new ServerConnectionHandler(
                                                secrets, opener, diskExecutor, budget, config, metrics, random, gate));
                    }
                });
        try {
            serverChannel = bootstrap.bind(bindHost, port).syncUninterruptibly().channel();
        } catch (RuntimeException e) {
            close();
            throw new IOException("cannot bind " + bindHost + ":" + port, e);
        }
        LOG.info("block server listening on {}", serverChannel.localAddress());
    }

    /** The bound port; only after {@link #start}. */
    public synchronized int port() {
        if (serverChannel == null) {
            throw new IllegalStateException("server not started");
        }
        return ((InetSocketAddress) serverChannel.localAddress()).getPort();
    }

    public TransportMetrics metrics() {
        return metrics;
    }

    /** Stops accepting, closes every connection (in-flight streams are cut) and stops all threads. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (serverChannel != null) {
            serverChannel.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
        if (channels != null) {
            channels.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
        if (bossGroup != null) {
            bossGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS);
        }
        if (workerGroup != null) {
            workerGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
        if (diskExecutor != null) {
            diskExecutor.shutdownNow();
        }
        LOG.info("block server closed");
    }
}
