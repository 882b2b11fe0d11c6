package dev.weft.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.examples.Demo;
import dev.weft.examples.WordCount;
import dev.weft.testkit.FaultPoint;
import dev.weft.testkit.JobOutcome;
import dev.weft.testkit.SubmittedJob;
import dev.weft.testkit.WeftCluster;
import dev.weft.testkit.WeftTestCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.hadoop.yarn.api.records.ApplicationId;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A user's browser on the tracking link of a running job: headless Chromium (Debian's {@code chromium} and {@code
 * chromium-driver}, which {@code ./weft test} installs) driven by Selenium opens the ResourceManager's proxy link,
 * follows the job's link to its page, and finds the stage table and the job's graph; screenshots are kept in
 * {@code browser-tests/target/screenshots}.
 */
@WeftCluster
class BrowserUiTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Path SCREENSHOTS = Path.of(System.getProperty("weft.screenshots", "target/screenshots"));
    private static WebDriver browser;

    @BeforeAll
    static void startBrowser() throws Exception {
        assertTrue(
                Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "headless Chromium is needed: Debian's chromium and chromium-driver (" + CHROMIUM + ", " + CHROMEDRIVER
                        + "); './weft test' installs them");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        // The flags that keep Chromium from reaching out (this machine's network is closed) and from needing a GPU.
        options.addArguments(
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--window-size=1400,1000",
                "--user-data-dir=" + Files.createTempDirectory("weft-chromium"));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .build();
        browser = new ChromeDriver(service, options);
        Files.createDirectories(SCREENSHOTS);
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    void aRunningJobsPageThroughTheRmProxyShowsItsStageTableAndItsGraph(WeftTestCluster cluster) throws Exception {
        org.apache.hadoop.fs.Path input = new org.apache.hadoop.fs.Path("/browser/words.txt");
        Demo.writeText(cluster.fileSystem(), input, 20_000, 7);
        FaultPoint mapsRunning = FaultPoint.tasksSucceeded(0, 1);
        SubmittedJob job = cluster.submit(WordCount.class, List.of(mapsRunning), input.toString(), "/browser/out");
        ApplicationId app = job.driverApplication();
        job.at(mapsRunning, Duration.ofMinutes(3), () -> {
            String tracking = cluster.yarnClient().getApplicationReport(app).getTrackingUrl();
            assertTrue(tracking.contains("/proxy/" + app), tracking);
            browser.get(tracking);
            WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
            WebElement jobs = wait.until(d -> d.findElement(By.id("jobs")));
            assertTrue(jobs.getText().contains("WordCount"), jobs.getText());
            screenshot("jobs.png");

            browser.findElement(By.cssSelector("#jobs a[href='job?id=0']")).click();
            WebElement stages = wait.until(d -> d.findElement(By.id("stages")));
            assertTrue(stages.findElements(By.tagName("tr")).size() >= 2, "a header and the running stage");
            assertTrue(browser.getCurrentUrl().contains("/proxy/" + app + "/job?id=0"), browser.getCurrentUrl());
            WebElement graph = browser.findElement(By.cssSelector("svg.dag"));
            List<WebElement> nodes = graph.findElements(By.cssSelector("g.stage-node"));
            assertEquals(2, nodes.size(), "job 0's two stages in its graph");
            assertEquals(1, graph.findElements(By.cssSelector("line.shuffle")).size(), "one shuffle between them");
            assertTrue(
                    browser.findElement(By.id("stage-node-0"))
                            .getAttribute("class")
                            .contains("state-running"),
                    "the map stage is drawn running");
            screenshot("job-0.png");
        });
        JobOutcome outcome = job.await(Duration.ofMinutes(4));
        assertEquals(0, outcome.exitCode(), outcome::toString);
    }

    private static void screenshot(String name) throws Exception {
        byte[] png = ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES);
        assertTrue(png.length > 1000, "a real picture: " + png.length + " bytes");
        Files.write(SCREENSHOTS.resolve(name), png);
    }
}
