package dev.weft.transport;

import java.io.IOException;

/**
 * Resolves block ids (numbers, never paths) to a file region; implemented by the executor or the aux service.
 *
 * <p>Threading: called concurrently from the server's disk threads (never from an event loop), so it may do file
 * I/O, e.g. read an index file; implementations must be thread-safe. It is called once per requested block, and only
 * for an app the connection authenticated for.
 */
public interface BlockResolver {
    /**
     * @return the block's segment; the file must stay readable until the server has sent it
     * @throws BlockNotFoundException for an unknown app / shuffle / map / attempt or an out-of-range partition
     * @throws IOException anything else; reported to the client as {@link ErrorCode#INTERNAL}
     */
    FileSegment resolve(String appId, int shuffleId, int mapId, long attemptId, int reduceId) throws IOException;
}
