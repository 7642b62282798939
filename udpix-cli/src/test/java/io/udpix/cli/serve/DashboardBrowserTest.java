package io.udpix.cli.serve;

import static org.assertj.core.api.Assertions.assertThat;

import io.udpix.cli.BackgroundServe;
import io.udpix.cli.Cli;
import io.udpix.cli.TestFiles;
import io.udpix.cli.TestSeeds;
import java.io.File;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web dashboard of {@code udpix serve --http} in a real headless browser (Debian's chromium through
 * chromium-driver and Selenium; nothing downloaded at run time): the page goes live, an image sent with
 * {@code udpix send} shows within 2 s, a frame stream's on-time counter moves, a connection's RTT chart gets
 * points, a JSON message's markup shows as text, and the console stays free of errors. Saves desktop and phone screenshots to target/dashboard-*.png.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class DashboardBrowserTest {

    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Pattern DASHBOARD_URL = Pattern.compile("http://127\\.0\\.0\\.1:\\d+/[^\\s)\"',]*");
    private static final Duration IMAGE_DEADLINE = Duration.ofSeconds(2);
    private static final Duration LIVE_WAIT = Duration.ofSeconds(15);
    private static final int IMAGE_WIDTH = 400;
    private static final int IMAGE_HEIGHT = 300;
    /** Received text is hostile input: the page must show this markup as text, never parse it. */
    private static final String HOSTILE_JSON = "{\"note\": \"<img src=x onerror=alert(1)><b>bold?</b>\"}";
    /**
     * Selenium looks for a CDP binding matching the browser's version and warns when it has none; the test uses
     * only chromedriver's own CDP passthrough (executeCdpCommand), which needs no binding. Held here so the
     * level setting is not garbage-collected with its logger.
     */
    private static final java.util.logging.Logger CDP_VERSION_LOGGER =
            java.util.logging.Logger.getLogger("org.openqa.selenium.devtools.CdpVersionFinder");

    @TempDir
    Path temp;

    @Test
    void showsASentImageWithinTwoSecondsAMovingStreamAnRttChartAndJsonAsTextWithNoConsoleErrors() throws Exception {
        requireChromium();
        long seed = TestSeeds.seed(12);
        Path image = TestFiles.imageFile(temp, "dash.jpg", IMAGE_WIDTH, IMAGE_HEIGHT, new SplittableRandom(seed));
        ExecutorService clients = Executors.newSingleThreadExecutor();
        WebDriver browser = null;
        try (BackgroundServe serve = BackgroundServe.start("--port", "0", "--http", "127.0.0.1:0", "--out",
                temp.resolve("received").toString())) {
            String url = dashboardUrl(serve);
            browser = startBrowser();
            browser.get(url);
            waitFor(browser, LIVE_WAIT, "#status says live",
                    "return document.getElementById('status').textContent.trim() === 'live'");

            // A stream at 15 fps for 30 s: long enough to outlive every check below and the screenshots.
            Future<Cli.Result> stream = clients.submit(() -> Cli.run("stream", "--to", serve.address(0),
                    "--size", "320x240", "--fps", "15", "--duration", "30s", "--name", "pattern",
                    "--no-known-servers"));
            waitFor(browser, LIVE_WAIT, "a div.stream with span.on-time > 0 (seed=" + seed + ")",
                    "var s = document.querySelector('#streams div.stream[data-key] span.on-time');"
                            + "return s != null && Number(s.textContent) > 0");
            long onTimeBefore = onTime(browser);
            waitFor(browser, LIVE_WAIT, "span.on-time grows beyond " + onTimeBefore,
                    "return Number(document.querySelector('#streams span.on-time').textContent) > "
                            + onTimeBefore);

            Cli.Result sent = Cli.run("send", image.toString(), "--to", serve.address(0));
            assertThat(sent.exitCode()).as("seed=" + seed + " " + sent).isZero();
            long sentNs = System.nanoTime();
            String imageId = "port-" + serve.ports().get(0) + "-image";
            waitFor(browser, IMAGE_DEADLINE, "img#" + imageId + " shows the sent " + IMAGE_WIDTH + "-pixel-wide "
                    + "image within " + IMAGE_DEADLINE.toMillis() + " ms of the send (seed=" + seed + ")",
                    "var i = document.getElementById('" + imageId + "');"
                            + "return i != null && i.complete && i.naturalWidth === " + IMAGE_WIDTH);
            long shownMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sentNs);
            WebElement shown = browser.findElement(By.id(imageId));
            assertThat(shown.getDomAttribute("data-seq")).as("the shown image's seq").isNotBlank();

            Cli.Result json = Cli.run("send", "--json", HOSTILE_JSON, "--to", serve.address(0));
            assertThat(json.exitCode()).as(json.toString()).isZero();
            waitFor(browser, LIVE_WAIT, "#json shows the message's markup as text",
                    "return document.getElementById('json').textContent.indexOf('<b>bold?</b>') >= 0");
            assertThat(browser.findElements(By.cssSelector("#json b, #json img")))
                    .as("elements made from received text").isEmpty();

            waitFor(browser, LIVE_WAIT, "a connection's div.rtt-chart with data-points > 0",
                    "return Array.from(document.querySelectorAll('#connections div.conn[data-id] div.rtt-chart'))"
                            + ".some(function (c) { return Number(c.dataset.points) > 0; })");
            waitFor(browser, LIVE_WAIT, "the sends' transfer rows with progress bars in #transfers",
                    "return document.querySelectorAll('#transfers progress').length > 0");

            saveScreenshots(browser);
            List<LogEntry> severe = browser.manage().logs().get(LogType.BROWSER).getAll().stream()
                    .filter(entry -> entry.getLevel().intValue() >= Level.SEVERE.intValue()).toList();
            assertThat(severe).as("browser console errors (failed requests included)").isEmpty();
            System.out.println("dashboard: image shown " + shownMs + " ms after the send returned; on-time "
                    + onTime(browser) + " frames");
            stream.cancel(true);
        } finally {
            if (browser != null) {
                browser.quit();
            }
            clients.shutdownNow();
        }
    }

    /** CI must run this test; elsewhere a machine without chromium skips it and says how to get it. */
    private static void requireChromium() {
        boolean present = Files.isExecutable(CHROMEDRIVER) && Files.isExecutable(CHROMIUM);
        String message = CHROMEDRIVER + " or " + CHROMIUM + " is missing: apt-get install chromium chromium-driver";
        if ("true".equals(System.getenv("CI"))) {
            Assertions.assertTrue(present, message);
        }
        Assumptions.assumeTrue(present, message);
    }

    private static WebDriver startBrowser() {
        CDP_VERSION_LOGGER.setLevel(Level.SEVERE);
        // The driver's path given explicitly: Selenium Manager (which would download a driver) is never asked.
        System.setProperty(ChromeDriverService.CHROME_DRIVER_EXE_PROPERTY, CHROMEDRIVER.toString());
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--hide-scrollbars", "--window-size=1280,900",
                "--user-data-dir=" + tempProfile());
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability(ChromeOptions.LOGGING_PREFS, logs);
        return new ChromeDriver(service, options);
    }

    /** A fresh browser profile per run, so nothing of an earlier run (cache, service workers) is reused. */
    private static String tempProfile() {
        try {
            File dir = Files.createTempDirectory("udpix-chromium-").toFile();
            dir.deleteOnExit();
            return dir.getAbsolutePath();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The dashboard URL serve prints in its banner. */
    private static String dashboardUrl(BackgroundServe serve) throws InterruptedException {
        String line = serve.out().await(l -> DASHBOARD_URL.matcher(l).find(), Duration.ofSeconds(10));
        if (line == null) {
            line = serve.err().await(l -> DASHBOARD_URL.matcher(l).find(), Duration.ofSeconds(1));
        }
        assertThat(line).as("a dashboard URL in serve's output:\n%s\n%s", serve.out().text(), serve.err().text())
                .isNotNull();
        Matcher matcher = DASHBOARD_URL.matcher(line);
        assertThat(matcher.find()).isTrue();
        String url = matcher.group();
        return url.endsWith(".") ? url.substring(0, url.length() - 1) : url;
    }

    private static void waitFor(WebDriver browser, Duration timeout, String what, String script) {
        JavascriptExecutor js = (JavascriptExecutor) browser;
        try {
            new WebDriverWait(browser, timeout, Duration.ofMillis(50)).withMessage(what)
                    .until(driver -> Boolean.TRUE.equals(js.executeScript(script)));
        } catch (org.openqa.selenium.TimeoutException e) {
            throw new AssertionError("waited " + timeout.toMillis() + " ms for " + what + "; page state: "
                    + js.executeScript(PAGE_STATE), e);
        }
    }

    private static final String PAGE_STATE = "return JSON.stringify({status: document.getElementById('status')"
            + ".textContent, images: Array.from(document.querySelectorAll('#ports img')).map(function (i) {"
            + " return i.id + ' ' + i.naturalWidth + ' seq ' + i.dataset.seq; }), streams: Array.from("
            + "document.querySelectorAll('#streams div.stream')).map(function (s) { return s.dataset.key + ' '"
            + " + s.querySelector('span.on-time').textContent; }), charts: Array.from(document.querySelectorAll("
            + "'div.rtt-chart')).map(function (c) { return c.dataset.points; }), transfers: document.querySelectorAll("
            + "'#transfers progress').length})";

    private static long onTime(WebDriver browser) {
        Object value = ((JavascriptExecutor) browser).executeScript(
                "return Number(document.querySelector('#streams span.on-time').textContent)");
        return ((Number) value).longValue();
    }

    /**
     * Desktop (1280 wide) and phone (390x844) views, each as tall as the page so every section is in view (the
     * page loads MJPEG only while a stream is on screen). On the phone, no horizontal scrolling.
     */
    private static void saveScreenshots(WebDriver browser) throws Exception {
        ChromeDriver chrome = (ChromeDriver) browser;
        Path target = targetDir();
        screenshot(chrome, 1280, 900, false, target.resolve("dashboard-desktop.png"));
        screenshot(chrome, 390, 844, true, target.resolve("dashboard-phone.png"));
        Object widths = chrome.executeScript(
                "return [document.documentElement.scrollWidth, document.documentElement.clientWidth]");
        List<?> both = (List<?>) widths;
        assertThat(((Number) both.get(0)).longValue()).as("page width on a 390 px phone (no horizontal scroll)")
                .isLessThanOrEqualTo(((Number) both.get(1)).longValue());
        chrome.executeCdpCommand("Emulation.clearDeviceMetricsOverride", Map.of());
    }

    private static void screenshot(ChromeDriver chrome, int width, int height, boolean mobile, Path file)
            throws Exception {
        chrome.executeCdpCommand("Emulation.setDeviceMetricsOverride",
                Map.of("width", width, "height", height, "deviceScaleFactor", 1, "mobile", mobile));
        Thread.sleep(500); // the charts resize after a short debounce
        long fullHeight = ((Number) chrome.executeScript("return document.documentElement.scrollHeight"))
                .longValue();
        chrome.executeCdpCommand("Emulation.setDeviceMetricsOverride",
                Map.of("width", width, "height", fullHeight, "deviceScaleFactor", 1, "mobile", mobile));
        Thread.sleep(1_500); // streams now on screen connect and show a frame; a stats tick redraws the charts
        Map<String, Object> shot = chrome.executeCdpCommand("Page.captureScreenshot", Map.of("format", "png"));
        Files.write(file, Base64.getDecoder().decode((String) shot.get("data")));
    }

    /** The module's build directory (target/, or what -Dudpix.target names), found from the test classes. */
    private static Path targetDir() throws URISyntaxException {
        return Path.of(DashboardBrowserTest.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                .getParent();
    }
}
