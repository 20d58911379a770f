package io.spindle.http;

import org.junit.jupiter.api.Assertions;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.stream.Stream;

/**
 * Debian's headless Chromium driven through its chromedriver, with a fresh profile and the console log recorded.
 * Without Chromium the tests are skipped, except on CI (env CI=true), where a missing browser is a failure.
 */
final class DashboardBrowser implements AutoCloseable {
    static final Path CHROMIUM = Path.of(System.getProperty("spindle.chromium", "/usr/bin/chromium"));
    static final Path CHROMEDRIVER = Path.of(System.getProperty("spindle.chromedriver", "/usr/bin/chromedriver"));

    final ChromeDriver driver;
    private final Path profile;

    private DashboardBrowser(ChromeDriver driver, Path profile) {
        this.driver = driver;
        this.profile = profile;
    }

    /** Why the browser cannot run here (null: it can); fails instead on CI, where the browser must be installed. */
    static String missing() {
        for (Path p : List.of(CHROMIUM, CHROMEDRIVER)) {
            if (Files.isExecutable(p)) continue;
            String why = p + " is missing: install Debian's chromium and chromium-driver (apt-get install -y chromium chromium-driver)";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) Assertions.fail(why);
            return why;
        }
        return null;
    }

    /** A browser whose page is 1280x800 (call {@link #missing()} first). */
    static DashboardBrowser start() throws IOException {
        Path profile = Files.createTempDirectory("spindle-chromium-");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--user-data-dir=" + profile, "--window-size=1280,800", "--lang=en-US");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        // an explicit driver executable: Selenium Manager never looks for (or downloads) one
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        ChromeDriver driver = new ChromeDriver(service, options);
        // the window size includes the (invisible) browser frame: size it so that the page itself gets 1280x800
        driver.manage().window().setSize(new Dimension(1280, 800));
        Object inner = ((JavascriptExecutor) driver).executeScript("return [window.innerWidth, window.innerHeight];");
        if (inner instanceof List<?> wh && wh.size() == 2 && wh.get(0) instanceof Number iw && wh.get(1) instanceof Number ih)
            driver.manage().window().setSize(new Dimension(2560 - iw.intValue(), 1600 - ih.intValue()));
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(10));
        return new DashboardBrowser(driver, profile);
    }

    /** Runs script (a function body) in the page and returns its value. */
    Object js(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    /** Polls condition until it yields a non-null, non-false value or the deadline passes; then fails with what. */
    <T> T await(String what, Duration timeout, Supplier<T> condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        T last = null;
        while (System.nanoTime() < deadline) {
            last = condition.get();
            if (last != null && !Boolean.FALSE.equals(last)) return last;
            try {
                Thread.sleep(25);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        throw new AssertionError("timed out after " + timeout.toMillis() + " ms waiting for " + what + "; page errors: "
                + js("const e = document.getElementById('error'); return e ? e.textContent : '(no page)';"));
    }

    /** Console entries since the last call (reading clears them). */
    List<LogEntry> console() {
        return driver.manage().logs().get(LogType.BROWSER).getAll();
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            try (Stream<Path> files = Files.walk(profile)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot remove the browser profile " + profile, e);
            }
        }
    }
}
