package dev.weft.yarn;

import dev.weft.conf.WeftConf;
import dev.weft.yarn.security.JobCredentials;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.permission.FsPermission;
import org.apache.hadoop.security.UserGroupInformation;
import org.apache.hadoop.yarn.api.records.LocalResource;
import org.apache.hadoop.yarn.api.records.LocalResourceType;
import org.apache.hadoop.yarn.api.records.LocalResourceVisibility;
import org.apache.hadoop.yarn.api.records.URL;
import org.apache.hadoop.yarn.client.api.YarnClient;
import org.apache.hadoop.yarn.conf.YarnConfiguration;
import org.apache.hadoop.yarn.exceptions.YarnException;

/**
 * The client's security steps, kept out of {@link WeftYarnClient}'s flow: who submits ({@link #submitter}), and the
 * driver's tokens and keytab ({@link #prepareDriver}). Without Kerberos both are no-ops.
 */
final class SubmitSecurity {
    /** The driver's environment: the principal to log in as, with the keytab localized as {@link #KEYTAB_LINK}. */
    static final String PRINCIPAL_ENV = "WEFT_PRINCIPAL";
    /** The driver's environment: {@link YarnConfigKeys#ACCESS_FILE_SYSTEMS}, whose tokens the driver renews too. */
    static final String ACCESS_FS_ENV = "WEFT_ACCESS_FILE_SYSTEMS";
    /** Name of the localized keytab in the driver's working directory. */
    static final String KEYTAB_LINK = "weft-principal.keytab";

    private static final FsPermission OWNER_READ_WRITE = new FsPermission((short) 0600);

    private SubmitSecurity() {}

    /** The user to submit as ({@link JobCredentials#submitter}), from the job's principal and keytab keys. */
    static UserGroupInformation submitter(WeftConf conf) throws IOException {
        return JobCredentials.submitter(
                conf.get(YarnConfigKeys.PRINCIPAL),
                conf.get(YarnConfigKeys.KEYTAB),
                YarnConfigKeys.PRINCIPAL.name(),
                YarnConfigKeys.KEYTAB.name());
    }

    /**
     * Refuses, on a Kerberized cluster, executors in a queue of their own: they would run in an unmanaged application
     * whose AMRMToken YARN hands out (in the application report) only to a caller whose full user name equals the
     * application's short user name ({@code RMAppImpl.createAndGetApplicationReport}, Hadoop 3.4), which neither a
     * Kerberos principal ({@code alice@REALM}) nor a delegation token it obtained ever has. The driver would wait for
     * that token in vain.
     */
    static void checkExecutorQueue(String driverQueue, String executorQueue) {
        if (UserGroupInformation.isSecurityEnabled() && !driverQueue.equals(executorQueue)) {
            throw new WeftYarnClient.SubmissionException("on a Kerberized cluster executors must run in the driver's"
                    + " application: set " + YarnConfigKeys.QUEUE.name() + " to one queue for both, or "
                    + YarnConfigKeys.EXECUTOR_QUEUE.name() + " to the driver's queue ('" + driverQueue + "', "
                    + YarnConfigKeys.DRIVER_QUEUE.name() + "). Executors in"
                    + " queue '" + executorQueue + "' need an unmanaged application, whose AMRMToken YARN gives only to"
                    + " a caller whose full user name equals the application's short one, which no Kerberos principal's"
                    + " is");
        }
    }

    /**
     * On a Kerberized cluster: obtains the driver's delegation tokens and, when the job names a principal and keytab,
     * uploads the keytab into the application's owner-only staging directory and adds it to {@code resources}
     * (PRIVATE, the driver's only: executors never get it) and the principal to {@code env}.
     *
     * @return the tokens for the driver's launch context; null without Kerberos
     */
    static ByteBuffer prepareDriver(
            WeftConf conf,
            YarnConfiguration yc,
            YarnClient yarn,
            FileSystem stagingFs,
            Path appDir,
            Map<String, LocalResource> resources,
            Map<String, String> env)
            throws IOException, YarnException {
        if (!UserGroupInformation.isSecurityEnabled()) {
            return null;
        }
        String principal = conf.get(YarnConfigKeys.PRINCIPAL);
        String keytab = conf.get(YarnConfigKeys.KEYTAB);
        if (principal != null && !principal.isBlank() && keytab != null && !keytab.isBlank()) {
            Path staged = new Path(appDir, KEYTAB_LINK);
            stagingFs.copyFromLocalFile(
                    false, true, new Path(java.nio.file.Path.of(keytab).toUri()), staged);
            stagingFs.setPermission(staged, OWNER_READ_WRITE);
            FileStatus st = stagingFs.getFileStatus(staged);
            resources.put(
                    KEYTAB_LINK,
                    LocalResource.newInstance(
                            URL.fromPath(stagingFs.makeQualified(staged)),
                            LocalResourceType.FILE,
                            LocalResourceVisibility.PRIVATE,
                            st.getLen(),
                            st.getModificationTime()));
            env.put(PRINCIPAL_ENV, principal);
            env.put(ACCESS_FS_ENV, conf.get(YarnConfigKeys.ACCESS_FILE_SYSTEMS));
        }
        return JobCredentials.serialize(JobCredentials.forDriver(yc, yarn, YarnConfigKeys.accessFileSystems(conf)));
    }
}
