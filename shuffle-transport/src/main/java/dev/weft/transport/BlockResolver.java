package dev.weft.transport;

import java.io.IOException;

/**
 * Resolves map output ids (numbers, never paths) to a {@link ResolvedMapOutput}; implemented by the executor or the
 * aux service.
 *
 * <p>Threading: called concurrently from the server's disk threads (never from an event loop), so it may do file
 * I/O, e.g. read an index file; implementations must be thread-safe. It is called once per fetch request, and only
 * for an app the connection authenticated for.
 */
public interface BlockResolver {
    /**
     * @return the map output; its data file must stay readable until the server has sent it
     * @throws BlockNotFoundException for an unknown app / shuffle / map / attempt
     * @throws TransportException with {@link ErrorCode#UNSAFE_FILE} for a file the resolver refuses to serve
     * @throws IOException anything else; reported to the client as {@link ErrorCode#INTERNAL}
     */
    ResolvedMapOutput resolve(String appId, int shuffleId, int mapId, long attemptId) throws IOException;
}
