package dev.weft.yarn.security;

import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.security.PrivilegedExceptionAction;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.security.Credentials;
import org.apache.hadoop.security.UserGroupInformation;
import org.apache.hadoop.security.token.Token;
import org.apache.hadoop.security.token.delegation.AbstractDelegationTokenIdentifier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a long-running driver's file system tokens fresh, as Spark's {@code HadoopDelegationTokenManager} does: it
 * logs in from the job's keytab, obtains new delegation tokens for the job's file systems, adds them to the driver's
 * own user (so the driver's clients use them) and hands them to {@code publish} (which sends them to every executor),
 * then does it again at {@value #RENEW_AT} of the time until the earliest of them expires.
 *
 * <p>The new tokens name the job's own principal as renewer, not the ResourceManager (which renews only the tokens
 * of the submission): renewing each once tells when it expires. Tokens whose expiry cannot be learnt (a file system
 * whose tokens are not renewable) count as expiring at their maximum date.
 *
 * <p>Threading: one daemon thread of its own runs every renewal; {@code publish} is called on it.
 */
public final class CredentialRenewer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CredentialRenewer.class);
    /** Fraction of a token's remaining life after which new ones are obtained. */
    static final double RENEW_AT = 0.75;
    /** Retry delay after a failed attempt (KDC or NameNode unreachable). */
    private static final long RETRY_MS = 60_000;
    /** Never busier than this, whatever the tokens' lifetimes. */
    private static final long MIN_DELAY_MS = 5_000;

    private final Configuration conf;
    private final String principal;
    private final String keytab;
    private final List<URI> fileSystems;
    private final Consumer<ByteBuffer> publish;
    private final ScheduledExecutorService thread;
    /** The keytab's login, made at the first renewal and refreshed before each later one; renewer thread only. */
    private UserGroupInformation user;

    public CredentialRenewer(
            Configuration conf, String principal, String keytab, List<URI> fileSystems, Consumer<ByteBuffer> publish) {
        this.conf = Objects.requireNonNull(conf, "conf is null");
        this.principal = Objects.requireNonNull(principal, "principal is null");
        this.keytab = Objects.requireNonNull(keytab, "keytab is null");
        this.fileSystems = List.copyOf(fileSystems);
        this.publish = Objects.requireNonNull(publish, "publish is null");
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "weft-credential-renewer");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Schedules the first renewal at {@value #RENEW_AT} of the remaining life of the tokens the driver holds now (those
     * of the submission).
     */
    public void start() throws IOException {
        long now = System.currentTimeMillis();
        long expiry = earliestExpiry(UserGroupInformation.getLoginUser().getCredentials());
        schedule(delay(now, expiry));
    }

    private void schedule(long delayMs) {
        LOG.info("next delegation token renewal in {} s", delayMs / 1000);
        thread.schedule(this::renew, delayMs, TimeUnit.MILLISECONDS);
    }

    private void renew() {
        try {
            if (user == null) {
                // One login, not one per renewal: file system clients are cached per user.
                user = UserGroupInformation.loginUserFromKeytabAndReturnUGI(principal, keytab);
            } else {
                user.checkTGTAndReloginFromKeytab();
            }
            Credentials fresh = user.doAs((PrivilegedExceptionAction<Credentials>) () -> {
                Credentials c = new Credentials();
                JobCredentials.addFileSystemTokens(conf, principal, fileSystems, c);
                return c;
            });
            long now = System.currentTimeMillis();
            long expiry = user.doAs((PrivilegedExceptionAction<Long>) () -> renewedExpiry(fresh));
            UserGroupInformation.getLoginUser().addCredentials(fresh);
            publish.accept(JobCredentials.serialize(JobCredentials.withoutDriverOnly(fresh)));
            LOG.info("obtained {} new delegation tokens as {}", fresh.numberOfTokens(), principal);
            schedule(delay(now, expiry));
        } catch (Exception e) {
            LOG.warn("cannot obtain new delegation tokens as {}: {}; retrying in {} s", principal, e, RETRY_MS / 1000);
            schedule(RETRY_MS);
        }
    }

    /** When the first of {@code creds}' tokens expires: renewing each (we are its renewer) says when. */
    private long renewedExpiry(Credentials creds) {
        long earliest = Long.MAX_VALUE;
        for (Token<?> t : creds.getAllTokens()) {
            try {
                earliest = Math.min(earliest, t.renew(conf));
            } catch (Exception e) {
                earliest = Math.min(earliest, maxDate(t));
            }
        }
        return earliest;
    }

    /** The earliest maximum date among {@code creds}' delegation tokens (the ResourceManager renews them until then). */
    static long earliestExpiry(Credentials creds) {
        long earliest = Long.MAX_VALUE;
        for (Token<?> t : creds.getAllTokens()) {
            earliest = Math.min(earliest, maxDate(t));
        }
        return earliest;
    }

    private static long maxDate(Token<?> t) {
        try {
            if (t.decodeIdentifier() instanceof AbstractDelegationTokenIdentifier id && id.getMaxDate() > 0) {
                return id.getMaxDate();
            }
        } catch (IOException e) {
            // an identifier this JVM cannot decode: no known expiry
        }
        return Long.MAX_VALUE;
    }

    /** {@value #RENEW_AT} of the time left until {@code expiry}, at least {@link #MIN_DELAY_MS}. */
    static long delay(long now, long expiry) {
        if (expiry == Long.MAX_VALUE) {
            return TimeUnit.HOURS.toMillis(24);
        }
        return Math.max(MIN_DELAY_MS, (long) ((expiry - now) * RENEW_AT));
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
