package dev.weft.yarn;

import java.nio.ByteBuffer;
import java.security.PrivilegedExceptionAction;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.security.UserGroupInformation;
import org.apache.hadoop.security.token.Token;
import org.apache.hadoop.yarn.api.protocolrecords.AllocateResponse;
import org.apache.hadoop.yarn.api.records.ApplicationAttemptReport;
import org.apache.hadoop.yarn.api.records.ApplicationId;
import org.apache.hadoop.yarn.api.records.ApplicationReport;
import org.apache.hadoop.yarn.api.records.ApplicationSubmissionContext;
import org.apache.hadoop.yarn.api.records.ApplicationTimeoutType;
import org.apache.hadoop.yarn.api.records.Container;
import org.apache.hadoop.yarn.api.records.ContainerId;
import org.apache.hadoop.yarn.api.records.ContainerLaunchContext;
import org.apache.hadoop.yarn.api.records.FinalApplicationStatus;
import org.apache.hadoop.yarn.api.records.Priority;
import org.apache.hadoop.yarn.api.records.Resource;
import org.apache.hadoop.yarn.api.records.YarnApplicationAttemptState;
import org.apache.hadoop.yarn.api.records.YarnApplicationState;
import org.apache.hadoop.yarn.client.api.AMRMClient;
import org.apache.hadoop.yarn.client.api.AMRMClient.ContainerRequest;
import org.apache.hadoop.yarn.client.api.NMClient;
import org.apache.hadoop.yarn.client.api.NMTokenCache;
import org.apache.hadoop.yarn.client.api.YarnClient;
import org.apache.hadoop.yarn.client.api.YarnClientApplication;
import org.apache.hadoop.yarn.conf.YarnConfiguration;
import org.apache.hadoop.yarn.security.AMRMTokenIdentifier;
import org.apache.hadoop.yarn.util.Records;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A second YARN application in the executor queue whose ApplicationMaster is the driver itself
 * (an unmanaged AM, the mechanism Hadoop Federation uses): submitted with {@code setUnmanagedAM(true)},
 * registered with its own AMRMToken in a UGI of its own, with its own NM token cache, so its containers
 * are charged to the executor queue while the driver stays in the driver queue.
 *
 * <p>It is tagged {@code weft-driver:<driverAppId>} so an operator sees which driver owns it, and its
 * lifetime is a lease the driver renews: if the driver dies without finishing it, the ResourceManager
 * kills it when the lease runs out. Not thread-safe (one allocator thread).
 */
final class UnmanagedExecutorApplication implements ExecutorApplication {
    private static final Logger LOG = LoggerFactory.getLogger(UnmanagedExecutorApplication.class);
    static final String DRIVER_TAG_PREFIX = "weft-driver:";

    private final YarnClient yarn;
    private final ApplicationId appId;
    private final UserGroupInformation ugi;
    private final AMRMClient<ContainerRequest> amrm;
    private final NMClient nm;
    private final int leaseSeconds;
    private long leaseRenewedAt;
    private boolean finished;

    private UnmanagedExecutorApplication(
            YarnClient yarn,
            ApplicationId appId,
            UserGroupInformation ugi,
            AMRMClient<ContainerRequest> amrm,
            NMClient nm,
            int leaseSeconds) {
        this.yarn = yarn;
        this.appId = appId;
        this.ugi = ugi;
        this.amrm = amrm;
        this.nm = nm;
        this.leaseSeconds = leaseSeconds;
        this.leaseRenewedAt = System.currentTimeMillis();
    }

    /** Submits the executor application and registers this process as its ApplicationMaster. */
    static UnmanagedExecutorApplication start(
            Configuration conf,
            String queue,
            String name,
            String driverAppId,
            int leaseSeconds,
            String trackingUrl,
            Set<String> userTags,
            int priority)
            throws Exception {
        YarnClient yarn = YarnClient.createYarnClient();
        yarn.init(conf);
        yarn.start();
        YarnClientApplication app = yarn.createApplication();
        ApplicationSubmissionContext asc = app.getApplicationSubmissionContext();
        ApplicationId appId = asc.getApplicationId();
        asc.setApplicationName(name + " (executors)");
        asc.setQueue(queue);
        asc.setApplicationType("WEFT-EXECUTORS");
        Set<String> tags = new HashSet<>();
        tags.add(DRIVER_TAG_PREFIX + driverAppId.toLowerCase(java.util.Locale.ROOT));
        tags.add("weft");
        tags.addAll(userTags);
        asc.setApplicationTags(tags);
        asc.setUnmanagedAM(true);
        asc.setKeepContainersAcrossApplicationAttempts(true);
        asc.setMaxAppAttempts(1);
        asc.setAMContainerSpec(Records.newRecord(ContainerLaunchContext.class));
        asc.setResource(Resource.newInstance(0, 0));
        asc.setPriority(Priority.newInstance(priority));
        asc.setApplicationTimeouts(Map.of(ApplicationTimeoutType.LIFETIME, (long) leaseSeconds));
        yarn.submitApplication(asc);
        LOG.info("submitted executor application {} to queue {} for driver {}", appId, queue, driverAppId);

        Token<AMRMTokenIdentifier> token = awaitToken(yarn, appId);
        // One UGI per AM holding exactly this app's AMRMToken, so the driver's own token is never picked.
        UserGroupInformation ugi = UserGroupInformation.createRemoteUser(
                UserGroupInformation.getCurrentUser().getUserName());
        ugi.addToken(token);
        Configuration amConf = new YarnConfiguration(conf);
        NMTokenCache tokens = new NMTokenCache();
        AMRMClient<ContainerRequest> amrm = ugi.doAs((PrivilegedExceptionAction<AMRMClient<ContainerRequest>>) () -> {
            AMRMClient<ContainerRequest> c = AMRMClient.createAMRMClient();
            c.setNMTokenCache(tokens);
            c.init(amConf);
            c.start();
            c.registerApplicationMaster("", 0, trackingUrl == null ? "" : trackingUrl);
            return c;
        });
        NMClient nm = NMClient.createNMClient();
        nm.setNMTokenCache(tokens);
        nm.init(amConf);
        nm.start();
        return new UnmanagedExecutorApplication(yarn, appId, ugi, amrm, nm, leaseSeconds);
    }

    @SuppressWarnings("unchecked")
    private static Token<AMRMTokenIdentifier> awaitToken(YarnClient yarn, ApplicationId appId) throws Exception {
        long deadline = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < deadline) {
            ApplicationReport r = yarn.getApplicationReport(appId);
            if (r.getYarnApplicationState() == YarnApplicationState.FAILED
                    || r.getYarnApplicationState() == YarnApplicationState.KILLED) {
                throw new IllegalStateException("executor application " + appId + " ended before it started: "
                        + r.getYarnApplicationState() + " " + r.getDiagnostics());
            }
            if (r.getCurrentApplicationAttemptId() != null) {
                ApplicationAttemptReport ar = yarn.getApplicationAttemptReport(r.getCurrentApplicationAttemptId());
                if (ar.getYarnApplicationAttemptState() == YarnApplicationAttemptState.LAUNCHED
                        && r.getAMRMToken() == null
                        && UserGroupInformation.isSecurityEnabled()) {
                    // Deterministic: the report never carries it for a Kerberos caller (see SubmitSecurity).
                    throw new IllegalStateException("executor application " + appId + " was launched but YARN gives"
                            + " its AMRMToken only to a caller whose full user name equals the application's short"
                            + " one, which no Kerberos principal's is: run executors in the driver's queue");
                }
                if (ar.getYarnApplicationAttemptState() == YarnApplicationAttemptState.LAUNCHED
                        && r.getAMRMToken() != null) {
                    org.apache.hadoop.yarn.api.records.Token t = r.getAMRMToken();
                    return new Token<>(
                            t.getIdentifier().array(),
                            t.getPassword().array(),
                            new org.apache.hadoop.io.Text(t.getKind()),
                            new org.apache.hadoop.io.Text(t.getService()));
                }
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException(
                "executor application " + appId + " was not launched within 60 s (is queue capacity available?)");
    }

    @Override
    public ApplicationId applicationId() {
        return appId;
    }

    @Override
    public void addContainerRequest(ContainerRequest request) {
        amrm.addContainerRequest(request);
    }

    @Override
    public void removeContainerRequest(ContainerRequest request) {
        amrm.removeContainerRequest(request);
    }

    @Override
    public AllocateResponse allocate(float progress) throws Exception {
        renewLease();
        return ugi.doAs((PrivilegedExceptionAction<AllocateResponse>) () -> amrm.allocate(progress));
    }

    /** Pushes the executor application's lifetime forward while the driver is alive. */
    /** Asks the ResourceManager to end {@code app} at {@code expiresAtMillis} unless asked again before. */
    static void extendLifetime(YarnClient yarn, ApplicationId app, long expiresAtMillis) throws Exception {
        String expiry = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ", Locale.ROOT)
                .format(Instant.ofEpochMilli(expiresAtMillis).atOffset(ZoneOffset.UTC));
        yarn.updateApplicationTimeouts(
                org.apache.hadoop.yarn.api.protocolrecords.UpdateApplicationTimeoutsRequest.newInstance(
                        app, Map.of(ApplicationTimeoutType.LIFETIME, expiry)));
    }

    private void renewLease() {
        long now = System.currentTimeMillis();
        if (now - leaseRenewedAt < leaseSeconds * 1000L / 3) {
            return;
        }
        try {
            extendLifetime(yarn, appId, now + leaseSeconds * 1000L);
            leaseRenewedAt = now;
        } catch (Exception e) {
            LOG.warn("cannot renew the lifetime of executor application {}: {}", appId, e.toString());
        }
    }

    @Override
    public void releaseContainer(ContainerId id) {
        amrm.releaseAssignedContainer(id);
    }

    @Override
    public void updateBlacklist(java.util.List<String> additions, java.util.List<String> removals) {
        amrm.updateBlacklist(additions, removals);
    }

    @Override
    public Map<String, ByteBuffer> startContainer(Container container, ContainerLaunchContext clc) throws Exception {
        return nm.startContainer(container, clc);
    }

    @Override
    public void finish(FinalApplicationStatus status, String diagnostics) {
        if (finished) {
            return;
        }
        finished = true;
        try {
            ugi.doAs((PrivilegedExceptionAction<Void>) () -> {
                amrm.unregisterApplicationMaster(status, diagnostics, "");
                return null;
            });
            LOG.info("executor application {} finished: {}", appId, status);
        } catch (Exception e) {
            LOG.warn("cannot unregister executor application {} ({}); killing it", appId, e.toString());
            kill();
        }
    }

    /** Last resort (driver shutting down abnormally): ask the ResourceManager to kill the application. */
    void kill() {
        try {
            yarn.killApplication(appId, "driver ended");
        } catch (Exception e) {
            LOG.warn("cannot kill executor application {}: {}", appId, e.toString());
        }
    }

    @Override
    public void abandon() {
        finished = true; // nothing to unregister: it ended, or it is being killed
        kill();
        close();
    }

    @Override
    public void close() {
        nm.stop();
        amrm.stop();
        yarn.stop();
    }
}
