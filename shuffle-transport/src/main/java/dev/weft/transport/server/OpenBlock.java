package dev.weft.transport.server;

/**
 * A resolved block ready to send. Holds one reference to {@code file} (null for an empty block) until it is handed
 * to a region ({@link SharedDataFile#region}) or dropped ({@link BlockOpener#closeAll}).
 */
record OpenBlock(int reduceId, SharedDataFile file, long offset, long length, int crc32c) {}
