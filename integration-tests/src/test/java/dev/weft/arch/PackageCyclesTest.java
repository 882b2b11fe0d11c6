package dev.weft.arch;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Fails the build on any package cycle in the main code of any Weft module, and across all modules
 * together. Each package is one slice ({@code dev.weft.api} and {@code dev.weft.api.function} are two), so
 * "free of cycles" means the package dependency graph is a DAG: every package has one direction.
 *
 * <p>It reads each module's compiled {@code target/classes} by path rather than the test classpath, so it
 * also sees modules no other module depends on (benchmarks) and never mistakes a stale jar in the local
 * repository for this tree's code. The parent pom lists every module before {@code integration-tests}, so
 * Maven builds them first. Because a check over nothing passes, it also asserts that it found exactly the
 * modules with main code and at least one compiled top-level class per source file.
 */
class PackageCyclesTest {
    /** The modules that have main code. A new module with code fails {@link #checksEveryModuleWithMainCode}. */
    private static final Set<String> MODULES_WITH_MAIN_CODE = Set.of(
            "shuffle-format",
            "dag-runtime",
            "hdfs-io",
            "web-ui",
            "shuffle-transport",
            "yarn-am",
            "executor-container",
            "external-shuffle-aux-service",
            "capacity-scheduler-configs",
            "testkit",
            "examples",
            "benchmarks");

    /** Below today's 277 top-level classes; catches a run that imported a fraction of the tree. */
    private static final int MIN_CLASSES_IN_TREE = 200;

    private static final Path ROOT =
            Path.of(System.getProperty("weft.repo.root", "..")).toAbsolutePath().normalize();

    private static ArchRule noPackageCycles() {
        return slices().matching("dev.weft.(**)").should().beFreeOfCycles();
    }

    @Test
    void checksEveryModuleWithMainCode() {
        Set<String> found = parentModules().stream()
                .filter(m -> sourceFileCount(m) > 0)
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(new TreeSet<>(MODULES_WITH_MAIN_CODE), found, "modules with src/main/java under " + ROOT);
    }

    @TestFactory
    Stream<DynamicTest> eachModuleIsFreeOfPackageCycles() {
        return MODULES_WITH_MAIN_CODE.stream()
                .sorted()
                .map(module ->
                        DynamicTest.dynamicTest(module, () -> noPackageCycles().check(importModule(module))));
    }

    @Test
    void allModulesTogetherAreFreeOfPackageCycles() {
        Path[] dirs = MODULES_WITH_MAIN_CODE.stream()
                .map(PackageCyclesTest::classesDir)
                .toArray(Path[]::new);
        JavaClasses all = new ClassFileImporter().importPaths(dirs);
        long topLevel = all.stream().filter(JavaClass::isTopLevelClass).count();
        assertTrue(topLevel >= MIN_CLASSES_IN_TREE, "only " + topLevel + " top-level classes under " + ROOT);
        noPackageCycles().check(all);
    }

    /** Imports one module's main classes, asserting it yielded at least one top-level class per source file. */
    private static JavaClasses importModule(String module) {
        Path dir = classesDir(module);
        assertTrue(Files.isDirectory(dir), dir + " is missing: build " + module + " first");
        JavaClasses classes = new ClassFileImporter().importPath(dir);
        long topLevel = classes.stream().filter(JavaClass::isTopLevelClass).count();
        long sources = sourceFileCount(module);
        assertTrue(
                topLevel >= sources,
                module + ": " + topLevel + " top-level classes in " + dir + " for " + sources + " source files");
        return classes;
    }

    private static Path classesDir(String module) {
        return ROOT.resolve(module).resolve("target/classes");
    }

    private static long sourceFileCount(String module) {
        Path src = ROOT.resolve(module).resolve("src/main/java");
        if (!Files.isDirectory(src)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(src)) {
            return files.filter(p -> p.toString().endsWith(".java"))
                    .filter(p -> !p.getFileName().toString().equals("package-info.java"))
                    .count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> parentModules() {
        Path pom = ROOT.resolve("pom.xml");
        try {
            String xml = Files.readString(pom, StandardCharsets.UTF_8);
            Matcher m = Pattern.compile("<module>([^<]+)</module>").matcher(xml);
            List<String> modules = m.results().map(r -> r.group(1).trim()).toList();
            assertTrue(modules.contains("dag-runtime"), "no modules found in " + pom);
            return modules;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
