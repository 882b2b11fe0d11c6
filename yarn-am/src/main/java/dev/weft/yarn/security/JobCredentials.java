package dev.weft.yarn.security;

import dev.weft.transport.auth.AuthSecret;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.io.DataOutputBuffer;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.security.Credentials;
import org.apache.hadoop.security.UserGroupInformation;
import org.apache.hadoop.security.token.Token;
import org.apache.hadoop.yarn.client.ClientRMProxy;
import org.apache.hadoop.yarn.client.api.YarnClient;
import org.apache.hadoop.yarn.client.util.YarnClientUtils;
import org.apache.hadoop.yarn.exceptions.YarnException;
import org.apache.hadoop.yarn.security.AMRMTokenIdentifier;
import org.apache.hadoop.yarn.security.client.RMDelegationTokenIdentifier;
import org.apache.hadoop.yarn.util.ConverterUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The delegation tokens a job's containers need on a Kerberized cluster, where no container holds a Kerberos
 * ticket: one per file system the job reads or writes (the default one and those the job names), and, for the
 * driver only, one for the ResourceManager, with which the driver submits, renews and kills the executor
 * application. Tokens are obtained with the ResourceManager as renewer, so the ResourceManager renews them while
 * the application runs (as MapReduce's {@code TokenCache} and Spark's file system token provider do).
 *
 * <p>On a cluster without Kerberos every method that obtains tokens returns empty credentials, and launch contexts
 * carry no tokens, as before.
 *
 * <p>Stateless; the methods run as the calling thread's current user (call them inside {@code ugi.doAs}).
 */
public final class JobCredentials {
    private static final Logger LOG = LoggerFactory.getLogger(JobCredentials.class);

    private JobCredentials() {}

    /**
     * The user who submits the job. With {@code principal} and {@code keytab} both given, a fresh login from the
     * keytab (the JVM's login user is left alone); otherwise the current user, who on a Kerberized cluster must hold
     * a Kerberos ticket ({@code kinit}) or delegation tokens already (a launcher started with {@code
     * HADOOP_TOKEN_FILE_LOCATION}).
     *
     * @throws NoKerberosCredentialsException security is on and the user can prove nothing; the message says what to
     *     do
     * @throws IllegalArgumentException only one of {@code principal} and {@code keytab} given
     */
    public static UserGroupInformation submitter(String principal, String keytab, String principalKey, String keytabKey)
            throws IOException {
        boolean hasPrincipal = principal != null && !principal.isBlank();
        boolean hasKeytab = keytab != null && !keytab.isBlank();
        if (hasPrincipal != hasKeytab) {
            throw new IllegalArgumentException(principalKey + " and " + keytabKey + " go together: "
                    + (hasPrincipal ? keytabKey : principalKey) + " is not set");
        }
        if (hasPrincipal) {
            if (!UserGroupInformation.isSecurityEnabled()) {
                LOG.warn(
                        "{} is set but Kerberos is off (hadoop.security.authentication=simple); ignoring it",
                        principalKey);
                return UserGroupInformation.getCurrentUser();
            }
            if (!new java.io.File(keytab).canRead()) {
                throw new NoKerberosCredentialsException(
                        "cannot read the keytab " + keytab + " (" + keytabKey + ") for " + principal);
            }
            return UserGroupInformation.loginUserFromKeytabAndReturnUGI(principal, keytab);
        }
        UserGroupInformation user = UserGroupInformation.getCurrentUser();
        if (UserGroupInformation.isSecurityEnabled()
                && !user.hasKerberosCredentials()
                && user.getCredentials().numberOfTokens() == 0) {
            throw new NoKerberosCredentialsException("Kerberos is on (hadoop.security.authentication=kerberos) but "
                    + user.getUserName() + " has no Kerberos credentials (no ticket, no delegation tokens):"
                    + " run kinit, or set " + principalKey + " and " + keytabKey);
        }
        return user;
    }

    /**
     * The ResourceManager's principal: the renewer of every token a job gets, so the ResourceManager renews them
     * for as long as the application runs and cancels them when it ends.
     */
    public static String renewer(Configuration conf) throws IOException {
        String principal = YarnClientUtils.getRmPrincipal(conf);
        if (principal == null || principal.isEmpty()) {
            throw new IOException("Kerberos is on but yarn.resourcemanager.principal is not set: the ResourceManager"
                    + " must renew the job's delegation tokens");
        }
        return principal;
    }

    /**
     * The driver's tokens: one per file system ({@code fs.defaultFS} and {@code fileSystems}) and one for the
     * ResourceManager. Empty when Kerberos is off. A user without a Kerberos ticket (started by a launcher with
     * {@code HADOOP_TOKEN_FILE_LOCATION}) cannot obtain tokens; its own are passed on instead.
     */
    public static Credentials forDriver(Configuration conf, YarnClient yarn, Collection<URI> fileSystems)
            throws IOException, YarnException {
        Credentials creds = new Credentials();
        if (!UserGroupInformation.isSecurityEnabled()) {
            return creds;
        }
        UserGroupInformation user = UserGroupInformation.getCurrentUser();
        if (!user.hasKerberosCredentials()) {
            // A launcher's user (HADOOP_TOKEN_FILE_LOCATION): new tokens need Kerberos, so its own are passed on.
            creds.addAll(withoutDriverOnly(user.getCredentials()));
            for (Token<?> t : user.getCredentials().getAllTokens()) {
                if (RMDelegationTokenIdentifier.KIND_NAME.equals(t.getKind())) {
                    creds.addToken(t.getService(), t);
                }
            }
            LOG.info("{} has no Kerberos ticket: passing on its {} delegation tokens", user, creds.numberOfTokens());
            return creds;
        }
        String renewer = renewer(conf);
        addFileSystemTokens(conf, renewer, fileSystems, creds);
        org.apache.hadoop.yarn.api.records.Token rm = yarn.getRMDelegationToken(new Text(renewer));
        Token<RMDelegationTokenIdentifier> rmToken =
                ConverterUtils.convertFromYarn(rm, ClientRMProxy.getRMDelegationTokenService(conf));
        creds.addToken(rmToken.getService(), rmToken);
        LOG.info("obtained {} delegation tokens for {} (renewer {})", creds.numberOfTokens(), currentUser(), renewer);
        return creds;
    }

    /**
     * Adds a delegation token for {@code fs.defaultFS} and each of {@code fileSystems} to {@code creds}, with {@code
     * renewer}. A file system already holding a token in {@code creds} gets no second one. Returns the tokens added.
     */
    public static List<Token<?>> addFileSystemTokens(
            Configuration conf, String renewer, Collection<URI> fileSystems, Credentials creds) throws IOException {
        Set<FileSystem> all = new LinkedHashSet<>();
        all.add(FileSystem.get(conf));
        for (URI uri : fileSystems) {
            all.add(FileSystem.get(uri, conf));
        }
        List<Token<?>> added = new ArrayList<>();
        for (FileSystem fs : all) {
            Token<?>[] tokens = fs.addDelegationTokens(renewer, creds);
            if (tokens != null) {
                for (Token<?> t : tokens) {
                    added.add(t);
                    LOG.info("delegation token for {}: {}", fs.getUri(), t);
                }
            }
        }
        return added;
    }

    /**
     * What an executor container gets: the current user's tokens less those only the driver may use (its
     * AMRMToken, which would let an executor act as the ApplicationMaster, and its ResourceManager delegation
     * token). Read at each launch, so executors started after a renewal get the new tokens. Null when there are no
     * tokens (Kerberos off), as a launch context without tokens has.
     */
    public static ByteBuffer forExecutors() throws IOException {
        return serialize(withoutDriverOnly(UserGroupInformation.getCurrentUser().getCredentials()));
    }

    /** {@code creds} less the tokens only the driver may use ({@link #forExecutors}). */
    public static Credentials withoutDriverOnly(Credentials creds) {
        Credentials out = new Credentials();
        for (Token<?> t : creds.getAllTokens()) {
            Text kind = t.getKind();
            if (!AMRMTokenIdentifier.KIND_NAME.equals(kind) && !RMDelegationTokenIdentifier.KIND_NAME.equals(kind)) {
                out.addToken(t.getService(), t);
            }
        }
        for (Text alias : creds.getAllSecretKeys()) {
            out.addSecretKey(alias, creds.getSecretKey(alias));
        }
        return out;
    }

    /**
     * {@code tokens} (a launch context's, or null) with the application's secret added as the secret key {@value
     * AuthSecret#CREDENTIALS_ALIAS}: YARN hands it to the container in its token file, never in its environment or
     * command line, and the driver passes its credentials on to executors.
     */
    public static ByteBuffer withSecret(ByteBuffer tokens, byte[] secret) throws IOException {
        Credentials creds = new Credentials();
        if (tokens != null) {
            ByteBuffer b = tokens.duplicate();
            byte[] bytes = new byte[b.remaining()];
            b.get(bytes);
            try (java.io.DataInputStream in = new java.io.DataInputStream(new java.io.ByteArrayInputStream(bytes))) {
                creds.readTokenStorageStream(in);
            }
        }
        creds.addSecretKey(new Text(AuthSecret.CREDENTIALS_ALIAS), secret);
        return serialize(creds);
    }

    /** {@code creds} as a launch context carries them ({@code setTokens}); null when empty. */
    public static ByteBuffer serialize(Credentials creds) throws IOException {
        if (creds.numberOfTokens() == 0 && creds.numberOfSecretKeys() == 0) {
            return null;
        }
        DataOutputBuffer out = new DataOutputBuffer();
        creds.writeTokenStorageToStream(out);
        return ByteBuffer.wrap(out.getData(), 0, out.getLength());
    }

    private static String currentUser() throws IOException {
        return UserGroupInformation.getCurrentUser().getUserName();
    }
}
