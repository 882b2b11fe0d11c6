package dev.weft.transport.client;

import static java.util.Objects.requireNonNull;

import dev.weft.transport.ErrorCode;
import dev.weft.transport.TransportConfig;
import dev.weft.transport.TransportException;
import dev.weft.transport.protocol.FrameDecoder;
import dev.weft.transport.protocol.FrameEncoder;
import dev.weft.transport.seal.SealedChannel;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.Closeable;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Makes {@link BlockClient}s. Owns the client event loops; no static state. Thread-safe.
 *
 * <p>{@link #connect} gives the caller a private client (the caller closes it); {@link #pooled} shares one client per
 * (host, port, app), replaced when its connection has died, and owned by the factory. {@link #close} closes every
 * client this factory made and stops its threads; it blocks, so never call it from an event loop.
 */
public final class TransportClientFactory implements Closeable {
    private record PoolKey(String host, int port, String appId) {}

    private final TransportConfig config;
    private final BlockDownloads downloads;
    private final EventLoopGroup group;
    private final SecureRandom random = new SecureRandom();
    private final Map<PoolKey, CompletableFuture<BlockClient>> pool = new ConcurrentHashMap<>();
    private final Map<Channel, Boolean> channels = new ConcurrentHashMap<>();
    private volatile boolean closed;

    public TransportClientFactory(TransportConfig config) {
        this(config, BlockDownloads.IN_MEMORY);
    }

    /** @param downloads where blocks too large for the heap go (see {@link BlockDownloads}) */
    public TransportClientFactory(TransportConfig config, BlockDownloads downloads) {
        this.config = requireNonNull(config, "config is null");
        this.downloads = requireNonNull(downloads, "downloads is null");
        this.group = new NioEventLoopGroup(
                config.clientIoThreads(), new DefaultThreadFactory("weft-transport-client", true));
    }

    /** Connects and authenticates without blocking; the future fails with a {@link TransportException}. */
    public CompletableFuture<BlockClient> connectAsync(String host, int port, String appId, byte[] secret) {
        requireNonNull(host, "host is null");
        requireNonNull(appId, "appId is null");
        requireNonNull(secret, "secret is null");
        CompletableFuture<BlockClient> result = new CompletableFuture<>();
        if (closed) {
            result.completeExceptionally(new TransportException(ErrorCode.CONNECTION_LOST, "client factory closed"));
            return result;
        }
        ClientHandler handler = new ClientHandler(appId, secret, config, downloads, random);
        Bootstrap bootstrap = new Bootstrap()
                .group(group)
                .channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.SO_KEEPALIVE, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int)
                        Math.min(Integer.MAX_VALUE, config.connectTimeout().toMillis()))
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        SealedChannel.install(ch.pipeline(), config.maxFrameBytes());
                        ch.pipeline()
                                .addLast("frameDecoder", FrameDecoder.forClient(config.maxFrameBytes()))
                                .addLast("frameEncoder", new FrameEncoder())
                                .addLast("handler", handler);
                    }
                });
        ChannelFuture connect = bootstrap.connect(host, port);
        Channel channel = connect.channel();
        channels.put(channel, Boolean.TRUE);
        channel.closeFuture().addListener(f -> channels.remove(channel));
        connect.addListener(f -> {
            if (!f.isSuccess()) {
                result.completeExceptionally(new TransportException(
                        ErrorCode.CONNECTION_LOST,
                        "cannot connect to " + host + ":" + port + ": " + f.cause(),
                        f.cause()));
                return;
            }
            channel.eventLoop()
                    .schedule(
                            () -> {
                                if (!handler.authenticated.isDone()) {
                                    handler.failConnection(new TransportException(
                                            ErrorCode.TIMEOUT,
                                            "no authentication from " + host + ":" + port + " within "
                                                    + config.connectTimeout().toMillis() + " ms"));
                                }
                            },
                            config.connectTimeout().toMillis(),
                            TimeUnit.MILLISECONDS);
        });
        handler.authenticated.whenComplete((ok, error) -> {
            if (error == null) {
                result.complete(new BlockClient(channel, handler, appId));
            } else {
                result.completeExceptionally(error);
            }
        });
        if (closed) {
            channel.close();
        }
        return result;
    }

    /** Connects and authenticates, blocking up to the connect timeout. Not from an event loop. */
    public BlockClient connect(String host, int port, String appId, byte[] secret) throws TransportException {
        return await(connectAsync(host, port, appId, secret));
    }

    /** The shared client for (host, port, app), connecting if there is none or the last one died. Blocking. */
    public BlockClient pooled(String host, int port, String appId, byte[] secret) throws TransportException {
        return await(pooledAsync(host, port, appId, secret));
    }

    /**
     * Like {@link #pooled} without blocking: safe to call from any thread, event loops included. The future fails
     * with a {@link TransportException}; a failed connection is dropped from the pool, so the next call reconnects.
     */
    public CompletableFuture<BlockClient> pooledAsync(String host, int port, String appId, byte[] secret) {
        PoolKey key = new PoolKey(host, port, appId);
        CompletableFuture<BlockClient> future = pool.compute(key, (k, existing) -> {
            if (existing != null
                    && (!existing.isDone()
                            || (!existing.isCompletedExceptionally()
                                    && existing.join().isActive()))) {
                return existing;
            }
            return connectAsync(host, port, appId, secret);
        });
        future.whenComplete((client, error) -> {
            if (error != null) {
                pool.remove(key, future);
            }
        });
        return future;
    }

    private BlockClient await(CompletableFuture<BlockClient> future) throws TransportException {
        try {
            return future.get(config.connectTimeout().toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof TransportException te) {
                throw te;
            }
            throw new TransportException(ErrorCode.CONNECTION_LOST, "connect failed: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            future.thenAccept(BlockClient::close);
            throw new TransportException(ErrorCode.TIMEOUT, "connect timed out", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            future.thenAccept(BlockClient::close);
            throw new TransportException(ErrorCode.CONNECTION_LOST, "interrupted while connecting", e);
        }
    }

    /** Closes every client made here and stops the event loops. */
    @Override
    public void close() {
        closed = true;
        for (Channel channel : new ArrayList<>(channels.keySet())) {
            channel.close();
        }
        pool.clear();
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
}
