package dev.weft.transport.server;

import java.nio.channels.FileChannel;

/**
 * A resolved block ready to send. Owns {@code channel} (null for an empty block) until it is handed to a
 * {@link io.netty.channel.DefaultFileRegion}, which closes it when released.
 */
record OpenBlock(int reduceId, FileChannel channel, long offset, long length, int crc32c) {}
