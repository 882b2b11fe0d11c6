package dev.weft.yarn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.conf.WeftConf;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.hadoop.yarn.api.records.LocalResourceType;
import org.apache.hadoop.yarn.api.records.LocalResourceVisibility;
import org.junit.jupiter.api.Test;

/** The container-launch keys: options, environment, tags, queues and how resources travel to the driver. */
class LaunchSettingsTest {
    @Test
    void javaOptionsSplitOnBlanksKeepQuotedBlanksAndRefuseTheHeap() {
        assertEquals(
                List.of("-XX:+UseG1GC", "-Dgreeting=hello world", "-Dq=it's"),
                LaunchParsers.splitOptions("  -XX:+UseG1GC '-Dgreeting=hello world' \"-Dq=it's\" "));
        IllegalArgumentException heap = assertThrows(
                IllegalArgumentException.class,
                () -> WeftConf.defaults().with("weft.executor.extra-java-options", "-Xmx8g"));
        assertTrue(heap.getMessage().contains("weft.executor.extra-java-options"), heap.getMessage());
        assertThrows(IllegalArgumentException.class, () -> LaunchParsers.splitOptions("-Da='b"));
        assertThrows(IllegalArgumentException.class, () -> LaunchParsers.splitOptions("foo"));
    }

    @Test
    void environmentIsNamesAndValuesAndWeftsOwnNamesAreRefused() {
        WeftConf c = WeftConf.defaults().with("weft.executor.env", "A=1,B_2=x=y, C=");
        assertEquals(Map.of("A", "1", "B_2", "x=y", "C", ""), c.get(YarnConfigKeys.EXECUTOR_ENV));
        assertThrows(IllegalArgumentException.class, () -> WeftConf.defaults().with("weft.driver.env", "CLASSPATH=/x"));
        assertThrows(IllegalArgumentException.class, () -> WeftConf.defaults().with("weft.driver.env", "WEFT_ROLE=x"));
        assertThrows(IllegalArgumentException.class, () -> WeftConf.defaults().with("weft.driver.env", "1A=x"));
    }

    @Test
    void tagsAreLowerCasedAndBoundedByYarnsLimits() {
        assertEquals(
                Set.of("team-a", "nightly"),
                WeftConf.defaults().with("weft.yarn.tags", "Team-A, nightly,").get(YarnConfigKeys.TAGS));
        String nine = String.join(",", List.of("a", "b", "c", "d", "e", "f", "g", "h", "i"));
        assertThrows(IllegalArgumentException.class, () -> WeftConf.defaults().with("weft.yarn.tags", nine));
    }

    @Test
    void oneQueueKeySetsBothUnlessASideIsSetExplicitly() {
        WeftConf none = WeftConf.defaults();
        assertEquals("drivers", YarnConfigKeys.driverQueue(none));
        assertEquals("executors", YarnConfigKeys.executorQueue(none));
        WeftConf one = none.with("weft.yarn.queue", "default");
        assertEquals("default", YarnConfigKeys.driverQueue(one));
        assertEquals("default", YarnConfigKeys.executorQueue(one));
        WeftConf mixed = one.with("weft.yarn.executor.queue", "batch");
        assertEquals("default", YarnConfigKeys.driverQueue(mixed));
        assertEquals("batch", YarnConfigKeys.executorQueue(mixed));
    }

    @Test
    void eachRolesLogLevelGoesAheadOfTheUsersOptionsAndANameOutsideTheLevelsIsRefused() {
        WeftConf c = WeftConf.defaults()
                .with("weft.executor.log-level", "DEBUG")
                .with("weft.driver.extra-java-options", "-Dweft.log.level=TRACE");
        assertEquals(
                List.of("-Dweft.log.level=DEBUG"), ContainerOptions.executor(c).javaOptions());
        // The user's own -D comes later on the command line: the JVM keeps the last one.
        assertEquals(
                List.of("-Dweft.log.level=INFO", "-Dweft.log.level=TRACE"),
                ContainerOptions.driver(c).javaOptions());
        IllegalArgumentException bad = assertThrows(
                IllegalArgumentException.class, () -> WeftConf.defaults().with("weft.driver.log-level", "LOUD"));
        assertTrue(bad.getMessage().contains("weft.driver.log-level"), bad.getMessage());
    }

    @Test
    void memoryOverheadDefaultsToTenPercentAtLeast384MiBAndCanBeSet() {
        WeftConf c = WeftConf.defaults().with("weft.executor.memory", "1g").with("weft.driver.memory", "8g");
        assertEquals(1024 + 384, ContainerOptions.executor(c).containerMiB());
        assertEquals(8192 + 819, ContainerOptions.driver(c).containerMiB());
        WeftConf set = c.with("weft.executor.memory-overhead", "1500m");
        assertEquals(1024 + 1500, ContainerOptions.executor(set).containerMiB());
        assertNull(ContainerOptions.executor(set).nodeLabel());
    }

    @Test
    void stagedResourcesSurviveTheDriversEnvironment() {
        StagingInfo info = new StagingInfo(
                "hdfs://nn:8020/user/u/.weftStaging/app_1",
                Map.of(
                        "weft-00-app.jar",
                        StagedResource.cachedFile("hdfs://nn:8020/user/u/.weftStaging/cache/ab.jar"),
                        "odd, name=1.txt",
                        new StagedResource(
                                "hdfs://nn:8020/data/a b,c=d.txt",
                                LocalResourceType.FILE,
                                LocalResourceVisibility.PUBLIC),
                        "dict.zip",
                        new StagedResource(
                                "hdfs://nn:8020/x/dict.zip",
                                LocalResourceType.ARCHIVE,
                                LocalResourceVisibility.PRIVATE)));
        StagingInfo back = StagingInfo.fromEnv(
                Map.of(StagingInfo.ENV_DIR, info.appDir(), StagingInfo.ENV_RESOURCES, info.encodeResources()));
        assertEquals(info, back);
        IllegalArgumentException clash = assertThrows(
                IllegalArgumentException.class,
                () -> info.with(Map.of("dict.zip", StagedResource.cachedFile("hdfs://nn:8020/y/dict.zip"))));
        assertTrue(clash.getMessage().contains("'dict.zip'"), clash.getMessage());
    }
}
