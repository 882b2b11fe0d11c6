package dev.weft.executor;

import dev.weft.transport.auth.AuthSecret;
import java.io.File;
import java.io.IOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.security.Credentials;
import org.apache.hadoop.security.UserGroupInformation;

/**
 * The application's secret as YARN handed it to this container (driver or executor): the secret key {@value
 * AuthSecret#CREDENTIALS_ALIAS} of the container's token file ({@code HADOOP_TOKEN_FILE_LOCATION}). Read from the
 * file itself, so that a keytab login of the process (which replaces Hadoop's login user) cannot hide it.
 */
public final class ContainerSecret {
    private ContainerSecret() {}

    /** The secret, or null outside YARN (no token file) or when the file carries none. */
    public static byte[] read() {
        String file = System.getenv(UserGroupInformation.HADOOP_TOKEN_FILE_LOCATION);
        if (file == null || file.isBlank()) {
            return null;
        }
        try {
            return Credentials.readTokenStorageFile(new File(file), new Configuration(false))
                    .getSecretKey(new Text(AuthSecret.CREDENTIALS_ALIAS));
        } catch (IOException e) {
            throw new IllegalStateException(
                    "cannot read the container's credentials " + file + ": " + e.getMessage(), e);
        }
    }
}
