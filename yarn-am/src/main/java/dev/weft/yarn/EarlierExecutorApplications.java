package dev.weft.yarn;

import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.hadoop.yarn.api.records.ApplicationId;
import org.apache.hadoop.yarn.api.records.ApplicationReport;
import org.apache.hadoop.yarn.api.records.YarnApplicationState;
import org.apache.hadoop.yarn.client.api.YarnClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The executor applications an earlier attempt of this driver started and left running when it died: the
 * NodeManagers' shuffle services keep their map outputs only while they run. A restarted driver holds them (renewing
 * the lease each was given, {@code weft.yarn.executor-app.lease}) so that the outputs its journal recovered stay
 * readable, and kills them when it ends. Their executors are not taken over: they exited when they lost their driver.
 *
 * <p>Found by the tag every executor application carries ({@code weft-driver:<driver application id>}). Not
 * thread-safe: built by the backend's constructor, renewed and closed on the allocator thread.
 */
final class EarlierExecutorApplications implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EarlierExecutorApplications.class);
    private static final EnumSet<YarnApplicationState> LIVE = EnumSet.of(
            YarnApplicationState.NEW,
            YarnApplicationState.NEW_SAVING,
            YarnApplicationState.SUBMITTED,
            YarnApplicationState.ACCEPTED,
            YarnApplicationState.RUNNING);

    private final YarnClient yarn;
    private final Set<ApplicationId> held;
    private final long leaseMillis;
    private long renewedAt;

    private EarlierExecutorApplications(YarnClient yarn, Set<ApplicationId> held, long leaseMillis) {
        this.yarn = yarn;
        this.held = held;
        this.leaseMillis = leaseMillis;
    }

    /**
     * Finds and holds the live executor applications of {@code driver}; none when asking the ResourceManager fails
     * (their outputs are then computed again).
     */
    static EarlierExecutorApplications hold(YarnClient yarn, ApplicationId driver, long leaseMillis) {
        Set<ApplicationId> live;
        try {
            String tag = UnmanagedExecutorApplication.DRIVER_TAG_PREFIX
                    + driver.toString().toLowerCase(Locale.ROOT);
            List<ApplicationReport> reports = yarn.getApplications(null, LIVE, Set.of(tag));
            live = reports.stream().map(ApplicationReport::getApplicationId).collect(Collectors.toSet());
        } catch (Exception e) {
            LOG.warn("cannot list the executor applications of earlier attempts of {}: {}", driver, e.toString());
            live = Set.of();
        }
        EarlierExecutorApplications apps = new EarlierExecutorApplications(yarn, Set.copyOf(live), leaseMillis);
        if (!live.isEmpty()) {
            LOG.info("holding executor applications {} of earlier attempts for the map output they serve", live);
            apps.renew();
        }
        return apps;
    }

    /** Whether {@code appId} is one of the held applications. */
    boolean holds(String appId) {
        return held.stream().anyMatch(a -> a.toString().equals(appId));
    }

    /** Extends the held applications' lifetimes when a third of the lease has passed since the last time. */
    void renewIfDue() {
        if (!held.isEmpty() && System.currentTimeMillis() - renewedAt >= leaseMillis / 3) {
            renew();
        }
    }

    private void renew() {
        long now = System.currentTimeMillis();
        for (ApplicationId app : held) {
            try {
                UnmanagedExecutorApplication.extendLifetime(yarn, app, now + leaseMillis);
            } catch (Exception e) {
                LOG.warn("cannot renew the lifetime of earlier executor application {}: {}", app, e.toString());
            }
        }
        renewedAt = now;
    }

    /** Kills the held applications: the driver is done with the outputs they serve. */
    @Override
    public void close() {
        for (ApplicationId app : held) {
            try {
                yarn.killApplication(app, "its driver's later attempt ended");
            } catch (Exception e) {
                LOG.warn("cannot kill earlier executor application {}: {}", app, e.toString());
            }
        }
    }
}
