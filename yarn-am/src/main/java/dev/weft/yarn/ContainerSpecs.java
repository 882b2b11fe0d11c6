package dev.weft.yarn;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.yarn.api.ApplicationConstants;
import org.apache.hadoop.yarn.api.ApplicationConstants.Environment;
import org.apache.hadoop.yarn.api.records.LocalResource;
import org.apache.hadoop.yarn.api.records.URL;
import org.apache.hadoop.yarn.conf.YarnConfiguration;

/**
 * Builds what every Weft container (driver or executor) needs: the localized files, the CLASSPATH, and the
 * java command line with the {@code --add-opens} Hadoop needs on Java 17. Stateless.
 */
final class ContainerSpecs {
    /** The JVM flags Hadoop and Netty need on Java 17 (the executor's list, shared by the driver). */
    static final List<String> JAVA_OPENS = java.util.stream.Stream.concat(
                    dev.weft.executor.ExecutorLauncher.ADD_OPENS.stream(),
                    java.util.stream.Stream.of("-Dio.netty.tryReflectionSetAccessible=true"))
            .toList();

    /**
     * The job configuration's name in every container's working directory (see {@link
     * dev.weft.conf.HadoopConfigurations}); Weft's names start with {@code weft-}, which -files may not use.
     */
    static final String JOB_CONF_LINK = "weft-job.xml";

    private ContainerSpecs() {}

    /**
     * Local resources from staged files; size and timestamp must match the file system's or localization fails.
     *
     * <p>Weft's jars are PRIVATE, not APPLICATION: staged jars are content-addressed and never rewritten ({@link
     * Staging}), so each NodeManager keeps one copy in the user's private cache and later applications of that user
     * start their containers without downloading the jars again (with the LinuxContainerExecutor, without starting a
     * localizer JVM at all). Still readable by the user only, as the owner-only staging directory is.
     */
    static Map<String, LocalResource> localResources(Configuration conf, Map<String, StagedResource> staged)
            throws IOException {
        Map<String, LocalResource> out = new HashMap<>();
        for (Map.Entry<String, StagedResource> e : staged.entrySet()) {
            StagedResource r = e.getValue();
            Path p = new Path(r.path());
            FileSystem fs = p.getFileSystem(conf);
            FileStatus st = fs.getFileStatus(p);
            out.put(
                    e.getKey(),
                    LocalResource.newInstance(
                            URL.fromPath(fs.makeQualified(p)),
                            r.type(),
                            r.visibility(),
                            st.getLen(),
                            st.getModificationTime()));
        }
        return out;
    }

    /** MapReduce's key (MRJobConfig.MAPREDUCE_APPLICATION_CLASSPATH; yarn-am does not depend on MapReduce). */
    static final String MAPREDUCE_APPLICATION_CLASSPATH = "mapreduce.application.classpath";

    /** MapReduce's default for it when a cluster's mapred-site.xml sets none, in the cross-platform form. */
    static final String[] DEFAULT_MAPREDUCE_APPLICATION_CLASSPATH = {
        "{{HADOOP_MAPRED_HOME}}/share/hadoop/mapreduce/*", "{{HADOOP_MAPRED_HOME}}/share/hadoop/mapreduce/lib/*"
    };

    /**
     * The container's working directory (the localized jars) first, then the cluster's YARN classpath, then its
     * MapReduce classpath.
     */
    static String classpath(Configuration conf) {
        String sep = ApplicationConstants.CLASS_PATH_SEPARATOR;
        StringBuilder cp = new StringBuilder(Environment.PWD.$$())
                .append(sep)
                .append(Environment.PWD.$$())
                .append("/*");
        String[] entries = conf.getStrings(
                YarnConfiguration.YARN_APPLICATION_CLASSPATH,
                YarnConfiguration.DEFAULT_YARN_CROSS_PLATFORM_APPLICATION_CLASSPATH);
        for (String e : entries) {
            cp.append(sep).append(e.trim());
        }
        // hdfs-io runs Hadoop's InputFormats, OutputFormats and FileOutputCommitter, which a cluster keeps on the
        // MapReduce classpath, not on YARN's: add it as MapReduce's own containers do.
        for (String e : conf.getStrings(MAPREDUCE_APPLICATION_CLASSPATH, DEFAULT_MAPREDUCE_APPLICATION_CLASSPATH)) {
            cp.append(sep).append(e.trim());
        }
        return cp.toString();
    }

    /** {@code {{JAVA_HOME}}/bin/java -Xmx… <opens> -Dweft.log.dir=<LOG_DIR> main args 1>…/stdout 2>…/stderr}. */
    static List<String> javaCommand(long heapMiB, String mainClass, List<String> args) {
        return javaCommand(heapMiB, List.of(), List.of(), mainClass, args);
    }

    /**
     * @param weftOptions Weft's own JVM options, written as they are
     * @param userOptions the user's extra JVM options, each quoted for the shell (after Weft's, so they may override)
     */
    static List<String> javaCommand(
            long heapMiB, List<String> weftOptions, List<String> userOptions, String mainClass, List<String> args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Environment.JAVA_HOME.$$() + "/bin/java");
        cmd.add("-Xmx" + heapMiB + "m");
        cmd.addAll(JAVA_OPENS);
        cmd.addAll(weftOptions);
        for (String o : userOptions) {
            cmd.add(shellQuote(o));
        }
        cmd.add("-Dweft.log.dir=" + ApplicationConstants.LOG_DIR_EXPANSION_VAR);
        cmd.add(mainClass);
        for (String a : args) {
            cmd.add(shellQuote(a));
        }
        cmd.add("1>" + ApplicationConstants.LOG_DIR_EXPANSION_VAR + "/stdout");
        cmd.add("2>" + ApplicationConstants.LOG_DIR_EXPANSION_VAR + "/stderr");
        return List.of(String.join(" ", cmd));
    }

    /** The NM runs the command through bash: quote program arguments so spaces and $ survive. */
    static String shellQuote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }
}
