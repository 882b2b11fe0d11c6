package dev.weft.yarn.queues;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.InputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.apache.hadoop.metrics2.lib.DefaultMetricsSystem;
import org.apache.hadoop.security.UserGroupInformation;
import org.apache.hadoop.service.Service;
import org.apache.hadoop.yarn.api.records.QueueACL;
import org.apache.hadoop.yarn.api.records.QueueInfo;
import org.apache.hadoop.yarn.conf.YarnConfiguration;
import org.apache.hadoop.yarn.security.AccessType;
import org.apache.hadoop.yarn.server.resourcemanager.ResourceManager;
import org.apache.hadoop.yarn.server.resourcemanager.monitor.SchedulingMonitor;
import org.apache.hadoop.yarn.server.resourcemanager.monitor.capacity.ProportionalCapacityPreemptionPolicy;
import org.apache.hadoop.yarn.server.resourcemanager.scheduler.QueueMetrics;
import org.apache.hadoop.yarn.server.resourcemanager.scheduler.capacity.AbstractLeafQueue;
import org.apache.hadoop.yarn.server.resourcemanager.scheduler.capacity.CSQueue;
import org.apache.hadoop.yarn.server.resourcemanager.scheduler.capacity.CapacityScheduler;
import org.apache.hadoop.yarn.server.resourcemanager.scheduler.capacity.CapacitySchedulerConfiguration;
import org.apache.hadoop.yarn.util.resource.DominantResourceCalculator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.w3c.dom.Comment;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * Loads each shipped layout into a real {@link CapacityScheduler}, created and initialised by a real, in-process
 * {@link ResourceManager} ({@code init} only: the scheduler parses and validates the whole queue tree in
 * {@code serviceInit}; nothing is started, so no ports are bound). Most tests merge a layout (and, where
 * preemption is on, {@link CapacitySchedulerLayouts#PREEMPTION_SITE}) into the RM's configuration; the
 * {@code confDir} tests install them as separate capacity-scheduler.xml and yarn-site.xml files, as on a cluster,
 * because where the monitor switch lives decides whether the monitor runs.
 */
class CapacitySchedulerLayoutsTest {

    private static final float EPS = 1e-4f;

    private ResourceManager rm;

    /** The conf dir class loader of a {@code confDir} test, and the context class loader it replaced. */
    private URLClassLoader confDirLoader;

    private ClassLoader savedContextLoader;

    /** A shipped layout and its Weft queues, by full path. */
    private record Layout(String resource, List<String> driverQueues, List<String> executorQueues) {
        URL url() {
            return CapacitySchedulerLayouts.resource(resource);
        }

        @Override
        public String toString() {
            return resource;
        }
    }

    static Stream<Layout> layouts() {
        return Stream.of(
                new Layout(CapacitySchedulerLayouts.DEFAULT, List.of("root.drivers"), List.of("root.executors")),
                new Layout(
                        CapacitySchedulerLayouts.PRODUCTION,
                        List.of("root.prod.drivers", "root.adhoc.drivers"),
                        List.of("root.prod.executors", "root.adhoc.executors")));
    }

    @BeforeAll
    static void metricsForManyRms() {
        // Several RMs per JVM: let the metrics system accept re-registered sources.
        DefaultMetricsSystem.setMiniClusterMode(true);
    }

    @AfterEach
    void stopRm() throws Exception {
        if (rm != null) {
            rm.stop();
            rm = null;
        }
        QueueMetrics.clearQueueMetrics();
        DefaultMetricsSystem.shutdown();
        if (confDirLoader != null) {
            Thread.currentThread().setContextClassLoader(savedContextLoader);
            confDirLoader.close();
            confDirLoader = null;
        }
    }

    /**
     * Creates a real RM whose configuration is {@code resources} merged (a layout, optionally followed by
     * {@link #site()}) and returns its scheduler.
     */
    private CapacityScheduler load(URL... resources) {
        // The RM adds a classpath capacity-scheduler.xml after our resource, and it would win: there must be none.
        assertNull(
                getClass().getClassLoader().getResource("capacity-scheduler.xml"),
                "a capacity-scheduler.xml on the test classpath would override the layout under test");
        YarnConfiguration conf = new YarnConfiguration();
        conf.set(YarnConfiguration.RM_SCHEDULER, CapacityScheduler.class.getName());
        for (URL r : resources) {
            conf.addResource(r);
        }
        rm = new ResourceManager();
        rm.init(conf);
        return assertInstanceOf(CapacityScheduler.class, rm.getResourceScheduler());
    }

    /** The yarn-site.xml part that switches the preemption monitor on. */
    private static URL site() {
        return CapacitySchedulerLayouts.resource(CapacitySchedulerLayouts.PREEMPTION_SITE);
    }

    /**
     * Creates a real RM as a cluster does: it finds yarn-site.xml and capacity-scheduler.xml in its conf dir on the
     * classpath (here {@code dir}, through the context class loader, which Hadoop's {@code Configuration} searches)
     * and keeps them apart: its own configuration is yarn-site.xml, the scheduler's adds capacity-scheduler.xml.
     * The loader stays in place for the rest of the test, so that {@code refreshQueues} reads {@code dir} too.
     */
    private CapacityScheduler loadFromConfDir(Path dir) throws Exception {
        for (String file : List.of("capacity-scheduler.xml", "yarn-site.xml")) {
            assertNull(getClass().getClassLoader().getResource(file), file + " on the test classpath would win");
        }
        confDirLoader =
                new URLClassLoader(new URL[] {dir.toUri().toURL()}, getClass().getClassLoader());
        savedContextLoader = Thread.currentThread().getContextClassLoader();
        Thread.currentThread().setContextClassLoader(confDirLoader);
        rm = new ResourceManager();
        rm.init(new YarnConfiguration());
        return assertInstanceOf(CapacityScheduler.class, rm.getResourceScheduler());
    }

    // ------------------------------------------------------------------ default layout

    @Test
    void defaultLayoutLoadsIntoTheRealScheduler() {
        CapacityScheduler cs = load(CapacitySchedulerLayouts.resource(CapacitySchedulerLayouts.DEFAULT), site());

        assertEquals(
                Map.of(
                        "root", false,
                        "root.default", true,
                        "root.drivers", true,
                        "root.executors", true),
                tree(cs));
        assertSiblingsSumTo100(cs.getRootQueue());
        assertInstanceOf(DominantResourceCalculator.class, cs.getResourceCalculator());

        AbstractLeafQueue drivers = leaf(cs, CapacitySchedulerLayouts.DEFAULT_DRIVER_QUEUE);
        AbstractLeafQueue executors = leaf(cs, CapacitySchedulerLayouts.DEFAULT_EXECUTOR_QUEUE);
        AbstractLeafQueue dflt = leaf(cs, "default");
        assertSame(drivers, cs.getQueue("root.drivers"), "short and full names resolve to the same queue");

        assertCapacities(drivers, 0.10f, 0.20f, 0.10f, 0.20f);
        assertCapacities(executors, 0.80f, 0.90f, 0.80f, 0.90f);
        assertCapacities(dflt, 0.10f, 0.50f, 0.10f, 0.50f);
        // Executors can never occupy the drivers' guaranteed share.
        assertTrue(executors.getAbsoluteMaximumCapacity() <= 1f - drivers.getAbsoluteCapacity() + EPS);

        assertEquals(1.0f, drivers.getMaxAMResourcePerQueuePercent(), EPS, "every driver app is an AM");
        assertEquals(0.3f, executors.getMaxAMResourcePerQueuePercent(), EPS);
        assertEquals(0.1f, dflt.getMaxAMResourcePerQueuePercent(), EPS);

        // 100, not 25: the preemption monitor sees a user's waiting AMs only up to this share of the guarantee.
        assertEquals(100f, drivers.getUserLimit(), EPS);
        assertEquals(2f, drivers.getUserLimitFactor(), EPS);
        assertEquals(25f, executors.getUserLimit(), EPS);
        assertEquals(1.125f, executors.getUserLimitFactor(), EPS);
        assertEquals(100f, dflt.getUserLimit(), EPS);
        assertEquals(5f, dflt.getUserLimitFactor(), EPS);
        // A single user can reach each queue's maximum-capacity.
        for (AbstractLeafQueue q : List.of(drivers, executors, dflt)) {
            assertEquals(
                    q.getAbsoluteMaximumCapacity(),
                    q.getAbsoluteCapacity() * q.getUserLimitFactor(),
                    EPS,
                    q.getQueuePath());
        }

        assertEquals(604800L, drivers.getMaximumApplicationLifetime());
        assertEquals(604800L, executors.getMaximumApplicationLifetime());
        assertEquals(86400L, executors.getDefaultApplicationLifetime());
        assertTrue(executors.getDefaultAppLifetimeWasSpecifiedInConfig());

        assertTrue(drivers.getPreemptionDisabled(), "drivers must never be preempted");
        assertFalse(executors.getPreemptionDisabled());

        assertEquals(40, drivers.getNodeLocalityDelay());
        assertOpenAcls(cs, drivers, executors, dflt);
    }

    // ------------------------------------------------------------------ production layout

    @Test
    void productionLayoutLoadsIntoTheRealScheduler() {
        CapacityScheduler cs = load(CapacitySchedulerLayouts.resource(CapacitySchedulerLayouts.PRODUCTION), site());

        assertEquals(
                Map.of(
                        "root", false,
                        "root.prod", false,
                        "root.prod.drivers", true,
                        "root.prod.executors", true,
                        "root.adhoc", false,
                        "root.adhoc.drivers", true,
                        "root.adhoc.executors", true,
                        "root.default", true),
                tree(cs));
        assertSiblingsSumTo100(cs.getRootQueue());
        assertInstanceOf(DominantResourceCalculator.class, cs.getResourceCalculator());

        // The leaf names are not unique: short names are ambiguous, partial paths do not resolve, full paths do.
        assertTrue(cs.getCapacitySchedulerQueueManager().isAmbiguous("drivers"));
        assertTrue(cs.getCapacitySchedulerQueueManager().isAmbiguous("executors"));
        assertNull(cs.getQueue("drivers"));
        assertNull(cs.getQueue("prod.drivers"));
        AbstractLeafQueue prodDrivers = leaf(cs, CapacitySchedulerLayouts.PRODUCTION_DRIVER_QUEUE);
        AbstractLeafQueue prodExecutors = leaf(cs, CapacitySchedulerLayouts.PRODUCTION_EXECUTOR_QUEUE);
        AbstractLeafQueue adhocDrivers = leaf(cs, "root.adhoc.drivers");
        AbstractLeafQueue adhocExecutors = leaf(cs, "root.adhoc.executors");
        AbstractLeafQueue dflt = leaf(cs, "default");
        CSQueue prod = cs.getQueue("root.prod");
        CSQueue adhoc = cs.getQueue("root.adhoc");

        assertCapacities(prod, 0.70f, 1.00f, 0.70f, 1.00f);
        assertCapacities(adhoc, 0.20f, 0.40f, 0.20f, 0.40f);
        assertCapacities(dflt, 0.10f, 0.20f, 0.10f, 0.20f);
        assertCapacities(prodDrivers, 0.10f, 0.20f, 0.07f, 0.20f);
        assertCapacities(prodExecutors, 0.90f, 0.90f, 0.63f, 0.90f);
        assertCapacities(adhocDrivers, 0.15f, 0.20f, 0.03f, 0.08f);
        assertCapacities(adhocExecutors, 0.85f, 0.85f, 0.17f, 0.34f);
        // Within a tenant, executors can never occupy that tenant's driver guarantee.
        assertEquals(1f - prodDrivers.getCapacity(), prodExecutors.getMaximumCapacity(), EPS);
        assertEquals(1f - adhocDrivers.getCapacity(), adhocExecutors.getMaximumCapacity(), EPS);

        assertEquals(1.0f, prodDrivers.getMaxAMResourcePerQueuePercent(), EPS);
        assertEquals(1.0f, adhocDrivers.getMaxAMResourcePerQueuePercent(), EPS);
        assertEquals(0.35f, prodExecutors.getMaxAMResourcePerQueuePercent(), EPS);
        assertEquals(0.5f, adhocExecutors.getMaxAMResourcePerQueuePercent(), EPS);
        // Enough AM share in executors for one (unmanaged) executor app per driver that fits in drivers.
        assertTrue(prodExecutors.getAbsoluteCapacity() * prodExecutors.getMaxAMResourcePerQueuePercent()
                >= prodDrivers.getAbsoluteMaximumCapacity() - EPS);
        assertTrue(adhocExecutors.getAbsoluteCapacity() * adhocExecutors.getMaxAMResourcePerQueuePercent()
                >= adhocDrivers.getAbsoluteMaximumCapacity() - EPS);

        assertEquals(100f, prodDrivers.getUserLimit(), EPS);
        assertEquals(25f, adhocExecutors.getUserLimit(), EPS);
        for (AbstractLeafQueue q : List.of(prodDrivers, prodExecutors, adhocDrivers, adhocExecutors, dflt)) {
            assertTrue(
                    q.getAbsoluteCapacity() * q.getUserLimitFactor() >= q.getAbsoluteMaximumCapacity() - EPS,
                    q.getQueuePath() + ": one user can reach maximum-capacity");
        }

        assertEquals(604800L, prodExecutors.getMaximumApplicationLifetime());
        assertEquals(86400L, prodExecutors.getDefaultApplicationLifetime());
        assertEquals(86400L, adhocExecutors.getMaximumApplicationLifetime());
        assertEquals(14400L, adhocExecutors.getDefaultApplicationLifetime());
        assertTrue(prodDrivers.getPreemptionDisabled());
        assertTrue(adhocDrivers.getPreemptionDisabled());
        assertFalse(prodExecutors.getPreemptionDisabled());
        assertOpenAcls(cs, prodDrivers, prodExecutors, adhocDrivers, adhocExecutors, dflt);
    }

    // ------------------------------------------------------------------ preemption

    @ParameterizedTest
    @MethodSource("layouts")
    void withTheYarnSitePartExecutorsArePreemptableAndDriversNever(Layout layout) throws Exception {
        CapacityScheduler cs = load(layout.url(), site());

        // QueueInfo is what clients see, and what Weft's submission check reads.
        for (String q : layout.executorQueues()) {
            QueueInfo info = cs.getQueueInfo(q, false, false);
            assertFalse(info.getPreemptionDisabled(), q + " must give lent capacity back");
            assertTrue(info.getIntraQueuePreemptionDisabled(), q + ": jobs in one queue never preempt each other");
        }
        // root.default may borrow the drivers' idle share, so it must give it back too.
        assertFalse(cs.getQueueInfo("root.default", false, false).getPreemptionDisabled());
        for (String q : layout.driverQueues()) {
            assertTrue(cs.getQueueInfo(q, false, false).getPreemptionDisabled(), q + ": a killed driver kills its job");
        }
    }

    @ParameterizedTest
    @MethodSource("layouts")
    void withoutTheYarnSitePartNoMonitorRunsAndExecutorsReportIt(Layout layout) throws Exception {
        CapacityScheduler cs = load(layout.url());

        assertTrue(cs.getSchedulingMonitorManager().isRSMEmpty(), "a layout alone must not switch the monitor on");
        // The signal Weft's client warns on: with the monitor off every queue reports preemption disabled.
        for (String q : layout.executorQueues()) {
            assertTrue(cs.getQueueInfo(q, false, false).getPreemptionDisabled(), q);
        }
    }

    @ParameterizedTest
    @MethodSource("layouts")
    void theLayoutTunesThePolicyTheMonitorRuns(Layout layout) {
        CapacityScheduler cs = load(layout.url(), site());

        // The policy's own view (Hadoop's defaults are 3000, 15000, 0.1, 0.2): a misspelt key would show here.
        ProportionalCapacityPreemptionPolicy policy = policy(cs);
        assertEquals(1000L, policy.getMonitoringInterval());
        assertEquals(5000L, policy.getDefaultMaximumKillWaitTimeout());
        assertEquals(0.0, policy.getMaxIgnoreOverCapacity(), 0.0);
        assertEquals(1.0, policy.getNaturalTerminationFactor(), 0.0);
        // The policy has no getter for this one: read it the way the policy does.
        assertEquals(
                0.25f,
                cs.getConfiguration()
                        .getFloat(
                                CapacitySchedulerConfiguration.TOTAL_PREEMPTION_PER_ROUND,
                                CapacitySchedulerConfiguration.DEFAULT_TOTAL_PREEMPTION_PER_ROUND),
                EPS);
        // Also read only by the policy (it then adds a selector for nodes reserved by a waiting application).
        assertTrue(cs.getConfiguration()
                .getBoolean(
                        CapacitySchedulerConfiguration.PREEMPTION_SELECT_CANDIDATES_FOR_RESERVED_CONTAINERS,
                        CapacitySchedulerConfiguration.DEFAULT_PREEMPTION_SELECT_CANDIDATES_FOR_RESERVED_CONTAINERS));
    }

    @Test
    void theMonitorSwitchIsOnlyInTheYarnSitePart() throws Exception {
        for (String name : CapacitySchedulerLayouts.ALL) {
            for (String key : properties(name).keySet()) {
                assertFalse(key.startsWith("yarn.resourcemanager.scheduler.monitor."), name + ": " + key);
            }
        }
        assertEquals(
                Map.of(
                        YarnConfiguration.RM_SCHEDULER_ENABLE_MONITORS,
                        "true",
                        YarnConfiguration.RM_SCHEDULER_MONITOR_POLICIES,
                        ProportionalCapacityPreemptionPolicy.class.getName()),
                properties(CapacitySchedulerLayouts.PREEMPTION_SITE));
    }

    @ParameterizedTest
    @MethodSource("layouts")
    void installedAsTwoFilesTheMonitorRunsWithTheLayoutsTuning(Layout layout, @TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("capacity-scheduler.xml"), read(layout.resource()));
        Files.writeString(dir.resolve("yarn-site.xml"), read(CapacitySchedulerLayouts.PREEMPTION_SITE));
        CapacityScheduler cs = loadFromConfDir(dir);

        // The files really stayed apart: the RM's own configuration has no tuning, yet the policy sees it.
        assertNull(rm.getConfig().get(CapacitySchedulerConfiguration.PREEMPTION_MONITORING_INTERVAL));
        assertEquals(1000L, policy(cs).getMonitoringInterval());
        for (String q : layout.executorQueues()) {
            assertFalse(cs.getQueueInfo(q, false, false).getPreemptionDisabled(), q);
        }
        for (String q : layout.driverQueues()) {
            assertTrue(cs.getQueueInfo(q, false, false).getPreemptionDisabled(), q);
        }
    }

    /** Why the switch must not go into capacity-scheduler.xml: the queues would claim a monitor that never runs. */
    @Test
    void aMonitorSwitchInCapacitySchedulerXmlStartsNoMonitor(@TempDir Path dir) throws Exception {
        String xml = read(CapacitySchedulerLayouts.DEFAULT);
        String open = "\n<configuration>\n";
        assertTrue(xml.indexOf(open) >= 0 && xml.indexOf(open) == xml.lastIndexOf(open), "one <configuration>");
        Files.writeString(
                dir.resolve("capacity-scheduler.xml"),
                xml.replace(open, open + property(YarnConfiguration.RM_SCHEDULER_ENABLE_MONITORS, "true")));
        CapacityScheduler cs = loadFromConfDir(dir);

        assertFalse(cs.getQueueInfo("root.executors", false, false).getPreemptionDisabled(), "claims preemption");
        assertTrue(cs.getSchedulingMonitorManager().isRSMEmpty(), "but nothing would ever preempt");
    }

    /** On a running cluster: refreshQueues re-reads yarn-site.xml, but without Hadoop's defaults. */
    @Test
    void refreshQueuesStartsTheMonitorOnlyWhenYarnSiteNamesThePolicy(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("capacity-scheduler.xml"), read(CapacitySchedulerLayouts.DEFAULT));
        CapacityScheduler cs = loadFromConfDir(dir);
        assertTrue(cs.getSchedulingMonitorManager().isRSMEmpty());
        assertTrue(cs.getQueueInfo("root.executors", false, false).getPreemptionDisabled());

        // The switch alone: the queues now claim preemption, but no policy is named, so no monitor starts.
        Files.writeString(
                dir.resolve("yarn-site.xml"),
                "<configuration>" + property(YarnConfiguration.RM_SCHEDULER_ENABLE_MONITORS, "true")
                        + "</configuration>");
        rm.getRMContext().getRMAdminService().refreshQueues();
        assertFalse(cs.getQueueInfo("root.executors", false, false).getPreemptionDisabled());
        assertTrue(cs.getSchedulingMonitorManager().isRSMEmpty(), "monitor started without a policy named");

        // The shipped yarn-site part names it.
        Files.writeString(dir.resolve("yarn-site.xml"), read(CapacitySchedulerLayouts.PREEMPTION_SITE));
        rm.getRMContext().getRMAdminService().refreshQueues();
        assertEquals(1000L, policy(cs).getMonitoringInterval());
        assertTrue(
                cs.getSchedulingMonitorManager().getAvailableSchedulingMonitor().isInState(Service.STATE.STARTED));
    }

    // ------------------------------------------------------------------ the scheduler really validates

    @Test
    void rootCapacitiesSummingTo110AreRejected(@TempDir Path dir) throws Exception {
        String xml = read(CapacitySchedulerLayouts.DEFAULT);
        // Control: an unmodified copy from a file URL loads.
        load(write(dir, "ok.xml", xml));
        stopRm();

        String broken = replaceOnce(xml, "root.executors.capacity", "80", "90"); // 10 + 10 + 90 = 110
        Throwable e = assertThrows(Exception.class, () -> load(write(dir, "broken.xml", broken)));
        assertCauseMentions(e, "Illegal capacity sum");
    }

    @Test
    void nestedCapacitiesSummingTo110AreRejected(@TempDir Path dir) throws Exception {
        String xml = read(CapacitySchedulerLayouts.PRODUCTION);
        load(write(dir, "ok.xml", xml));
        stopRm();

        String broken = replaceOnce(xml, "root.prod.drivers.capacity", "10", "20"); // prod: 20 + 90 = 110
        Throwable e = assertThrows(Exception.class, () -> load(write(dir, "broken.xml", broken)));
        assertCauseMentions(e, "Illegal capacity sum");
    }

    // ------------------------------------------------------------------ the files themselves

    @Test
    void everyPropertyIsUniqueAndCommented() throws Exception {
        for (String name : CapacitySchedulerLayouts.ALL) {
            assertTrue(properties(name).size() > 20, name);
        }
        List<String> files = new ArrayList<>(CapacitySchedulerLayouts.ALL);
        files.add(CapacitySchedulerLayouts.PREEMPTION_SITE);
        for (String name : files) {
            NodeList props = parse(name).getElementsByTagName("property");
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < props.getLength(); i++) {
                Element p = (Element) props.item(i);
                String key =
                        p.getElementsByTagName("name").item(0).getTextContent().trim();
                assertTrue(seen.add(key), name + ": duplicate " + key);
                Node prev = p.getPreviousSibling();
                while (prev != null
                        && prev.getNodeType() == Node.TEXT_NODE
                        && prev.getTextContent().isBlank()) {
                    prev = prev.getPreviousSibling();
                }
                assertTrue(
                        prev instanceof Comment
                                && !prev.getTextContent().isBlank()
                                && !prev.getTextContent().contains("\n"),
                        name + ": " + key + " needs a one-line comment right above it");
            }
        }
    }

    @Test
    void helperFindsLayoutsAndRejectsUnknownNames() throws Exception {
        for (String name : CapacitySchedulerLayouts.ALL) {
            assertNotNull(CapacitySchedulerLayouts.resource(name));
            try (InputStream in = CapacitySchedulerLayouts.open(name)) {
                assertTrue(new String(in.readAllBytes(), StandardCharsets.UTF_8)
                        .contains("yarn.scheduler.capacity.root.queues"));
            }
        }
        assertTrue(CapacitySchedulerLayouts.resource(CapacitySchedulerLayouts.PREEMPTION_SITE)
                .getPath()
                .endsWith("/weft/yarn-site-preemption.xml"));
        assertThrows(IllegalArgumentException.class, () -> CapacitySchedulerLayouts.resource("weft/nope.xml"));
    }

    // ------------------------------------------------------------------ helpers

    /** Every queue's full path, mapped to whether it is a leaf. */
    private static Map<String, Boolean> tree(CapacityScheduler cs) {
        Map<String, Boolean> out = new TreeMap<>();
        List<CSQueue> todo = new ArrayList<>(List.of(cs.getRootQueue()));
        while (!todo.isEmpty()) {
            CSQueue q = todo.remove(todo.size() - 1);
            List<CSQueue> children = q.getChildQueues();
            boolean leaf = children == null || children.isEmpty();
            assertEquals(leaf, q instanceof AbstractLeafQueue, q.getQueuePath());
            out.put(q.getQueuePath(), leaf);
            if (!leaf) {
                todo.addAll(children);
            }
        }
        return out;
    }

    /** At every level the children's capacities, as the scheduler computed them, add up to exactly 100%. */
    private static void assertSiblingsSumTo100(CSQueue parent) {
        List<CSQueue> children = parent.getChildQueues();
        if (children == null || children.isEmpty()) {
            return;
        }
        float sum = 0;
        Set<String> names = new TreeSet<>();
        for (CSQueue c : children) {
            sum += c.getCapacity();
            names.add(c.getQueueName());
            assertTrue(c.getCapacity() > 0, c.getQueuePath());
            assertTrue(c.getMaximumCapacity() >= c.getCapacity(), c.getQueuePath());
            assertSiblingsSumTo100(c);
        }
        assertEquals(1.0f, sum, EPS, "children of " + parent.getQueuePath() + " " + names);
    }

    /** The preemption policy the RM's monitor would run (created and initialised in {@code serviceInit}). */
    private static ProportionalCapacityPreemptionPolicy policy(CapacityScheduler cs) {
        SchedulingMonitor monitor = cs.getSchedulingMonitorManager().getAvailableSchedulingMonitor();
        assertNotNull(monitor, "no scheduling monitor");
        return assertInstanceOf(ProportionalCapacityPreemptionPolicy.class, monitor.getSchedulingEditPolicy());
    }

    private static AbstractLeafQueue leaf(CapacityScheduler cs, String name) {
        CSQueue q = cs.getQueue(name);
        assertNotNull(q, "no queue " + name);
        return assertInstanceOf(AbstractLeafQueue.class, q, name);
    }

    private static void assertCapacities(CSQueue q, float cap, float max, float absCap, float absMax) {
        String p = q.getQueuePath();
        assertEquals(cap, q.getCapacity(), EPS, p + " capacity");
        assertEquals(max, q.getMaximumCapacity(), EPS, p + " maximum-capacity");
        assertEquals(absCap, q.getAbsoluteCapacity(), EPS, p + " absolute capacity");
        assertEquals(absMax, q.getAbsoluteMaximumCapacity(), EPS, p + " absolute maximum-capacity");
    }

    /** The leaves' own ACLs are "*" (a leaf's default is nobody), and an arbitrary user may submit. */
    private static void assertOpenAcls(CapacityScheduler cs, AbstractLeafQueue... leaves) {
        UserGroupInformation someone = UserGroupInformation.createRemoteUser("someone-" + System.nanoTime());
        for (AbstractLeafQueue q : leaves) {
            assertTrue(q.getACLs().get(AccessType.SUBMIT_APP).isAllAllowed(), q.getQueuePath() + " submit ACL");
            assertTrue(q.getACLs().get(AccessType.ADMINISTER_QUEUE).isAllAllowed(), q.getQueuePath() + " admin ACL");
            assertTrue(cs.checkAccess(someone, QueueACL.SUBMIT_APPLICATIONS, q.getQueuePath()), q.getQueuePath());
        }
    }

    private static Document parse(String name) throws Exception {
        try (InputStream in = CapacitySchedulerLayouts.open(name)) {
            return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(in);
        }
    }

    /** A shipped file's properties, name to value. */
    private static Map<String, String> properties(String name) throws Exception {
        NodeList props = parse(name).getElementsByTagName("property");
        Map<String, String> out = new TreeMap<>();
        for (int i = 0; i < props.getLength(); i++) {
            Element p = (Element) props.item(i);
            out.put(
                    p.getElementsByTagName("name").item(0).getTextContent().trim(),
                    p.getElementsByTagName("value").item(0).getTextContent().trim());
        }
        return out;
    }

    private static String property(String key, String value) {
        return "<property><name>" + key + "</name><value>" + value + "</value></property>\n";
    }

    private static String read(String name) throws Exception {
        try (InputStream in = CapacitySchedulerLayouts.open(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static URL write(Path dir, String file, String xml) throws Exception {
        return Files.writeString(dir.resolve(file), xml).toUri().toURL();
    }

    /** Replaces the value of property {@code key} (which must currently be {@code from}) with {@code to}. */
    private static String replaceOnce(String xml, String key, String from, String to) {
        String old = "<name>yarn.scheduler.capacity." + key + "</name>\n    <value>" + from + "</value>";
        int at = xml.indexOf(old);
        assertTrue(at >= 0 && xml.indexOf(old, at + 1) < 0, "exactly one " + old);
        return xml.replace(old, old.replace("<value>" + from + "<", "<value>" + to + "<"));
    }

    private static void assertCauseMentions(Throwable e, String text) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (String.valueOf(t.getMessage()).contains(text)) {
                return;
            }
        }
        fail("no cause mentions '" + text + "'", e);
    }
}
