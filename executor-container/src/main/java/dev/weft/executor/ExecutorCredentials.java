package dev.weft.executor;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import org.apache.hadoop.security.Credentials;
import org.apache.hadoop.security.UserGroupInformation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the fresh delegation tokens a Kerberized job's driver sends: they are added to the executor's user (the
 * one its container's token file logged in), replacing the tokens of the same services, so every file system
 * connection opened from now on, by any task, presents them. Stateless and thread-safe.
 */
final class ExecutorCredentials {
    private static final Logger LOG = LoggerFactory.getLogger(ExecutorCredentials.class);

    private ExecutorCredentials() {}

    static void add(String executorId, byte[] tokens) {
        Credentials creds = new Credentials();
        try {
            creds.readTokenStorageStream(new DataInputStream(new ByteArrayInputStream(tokens)));
            UserGroupInformation.getCurrentUser().addCredentials(creds);
            LOG.info("executor {}: received {} fresh delegation tokens", executorId, creds.numberOfTokens());
        } catch (IOException e) {
            // The old tokens stay; tasks fail with the file system's own error once they expire.
            LOG.error("executor {}: cannot read the delegation tokens the driver sent: {}", executorId, e.toString());
        }
    }
}
