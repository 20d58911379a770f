package io.spindle.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.spindle.downsample.tier.TierConfig;
import io.spindle.store.SeriesStore;
import io.spindle.store.StoreConfig;
import io.spindle.store.Stores;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.support.ui.Select;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.logging.Level;

import static io.spindle.http.DashboardTestData.MS;
import static io.spindle.http.DashboardTestData.SEC;
import static io.spindle.http.DashboardTestData.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

/**
 * The built-in dashboard in a real headless Chromium against the real server over a real SQLite store: pick a
 * series, see both charts drawn with the counts the API returned, zoom by dragging and get finer data (raw from the
 * raw ring), pan, reset, and no console error on the way. Leaves a screenshot in target/dashboard.png.
 */
class DashboardBrowserTest {
    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What the page shows and what the API answered, read in one go (the charts' own data included). */
    private static final String VIEW = """
            const d = window.spindleDashboard, s = d.state;
            const nonNull = (a) => (a || []).filter((x) => x !== null && x !== undefined).length;
            const ink = (u, rgb) => {
              const c = u.ctx.canvas, px = u.ctx.getImageData(0, 0, c.width, c.height).data;
              let n = 0;
              for (let i = 0; i < px.length; i += 4)
                if (px[i + 3] > 128 && Math.abs(px[i] - rgb[0]) < 40 && Math.abs(px[i + 1] - rgb[1]) < 40 && Math.abs(px[i + 2] - rgb[2]) < 40) n++;
              return n;
            };
            const panel = (src, ids, rgb) => {
              const p = document.getElementById('panel-' + src), L = s.last[src], R = s.requests[src], u = d.charts[src];
              return {
                state: p.dataset.state, seq: +p.dataset.seq,
                shownPoints: document.getElementById(ids[0]).dataset.value,
                shownTier: document.getElementById(ids[1]).dataset.tier,
                shownQueryMs: document.getElementById(ids[2]).textContent,
                note: document.getElementById(ids[3]).hidden ? '' : document.getElementById(ids[3]).textContent,
                apiPoints: L ? L.points : null, apiTier: L ? L.tier : null, apiSource: L ? L.source : null,
                candidates: L ? L.candidates : null, nulls: L ? L.v.filter((x) => x === null).length : null,
                apiFirst: L && L.t_ms.length ? L.t_ms[0] : null, apiLast: L && L.t_ms.length ? L.t_ms[L.t_ms.length - 1] : null,
                maxPoints: R ? R.max_points : null, reqFrom: R ? R.from_ms : null, reqTo: R ? R.to_ms : null,
                plotWidth: u.over.clientWidth, plotted: nonNull(u.data[1]), ink: ink(u, rgb),
              };
            };
            return JSON.stringify({
              seq: s.seq, series: s.series, zoomed: s.zoomed, from: s.from, to: s.to,
              error: document.getElementById('error').hidden ? '' : document.getElementById('error').textContent,
              tiers: panel('tiers', ['points-tiers', 'tier', 'query-ms', 'tiers-note'], [178, 60, 10]),
              raw: panel('raw', ['points-raw', 'tier-raw', 'query-ms-raw', 'raw-note'], [21, 101, 192]),
            });
            """;

    /** The number of the window load both panels have finished (null while one is still loading). */
    private static final String SETTLED = """
            const d = window.spindleDashboard;
            if (!d || !d.state.series || d.state.seq === 0) return null;
            for (const src of ['tiers', 'raw']) {
              const p = document.getElementById('panel-' + src);
              if (p.dataset.seq !== String(d.state.seq) || p.dataset.state === 'loading' || p.dataset.state === 'idle') return null;
            }
            return d.state.seq;
            """;

    @TempDir
    static Path dir;
    static SeriesStore store;
    static DashboardTestData.Live live;
    static HttpServer server;
    static DashboardBrowser browser;
    static String missing;

    @BeforeAll
    static void serve() throws IOException {
        missing = DashboardBrowser.missing();
        if (missing != null) return; // each test reports the skip with the reason
        browser = DashboardBrowser.start();
        TierConfig tiers = DashboardTestData.tiers();
        store = Stores.open("sqlite:" + dir.resolve("dashboard.db"), StoreConfig.defaults());
        live = DashboardTestData.fill(store, tiers);
        server = HttpServer.start(new HttpOptions(InetAddress.getLoopbackAddress(), 0, null), store, tiers, new Metrics());
    }

    @AfterAll
    static void stop() {
        try (SeriesStore s = store) {
            if (server != null) server.close();
        } finally {
            if (browser != null) browser.close();
        }
    }

    @BeforeEach
    void freshPage() {
        Assumptions.assumeTrue(missing == null, () -> missing);
        browser.driver.get("about:blank");
        browser.console(); // reading drains what earlier tests left
    }

    @Test
    void pickZoomPanAndResetShowTheCountsTheApiReturnedWithoutConsoleErrors() throws IOException {
        browser.driver.get(server.url() + "ui/");
        browser.await("the series list", WAIT, () -> browser.driver.findElements(By.cssSelector("#series option")).size() == 4);
        long seq = settled(0);

        // the filter box narrows the list; picking a series loads it
        browser.driver.findElement(By.id("series-filter")).sendKeys("vib");
        browser.await("the filtered list", WAIT, () -> browser.driver.findElements(By.cssSelector("#series option")).size() == 1);
        new Select(browser.driver.findElement(By.id("series"))).selectByValue(DashboardTestData.VIB);
        browser.driver.findElement(By.id("range-all")).click();
        seq = settled(seq);

        JsonNode all = view();
        assertThat(all.get("series").asText()).isEqualTo(DashboardTestData.VIB);
        assertThat(all.get("error").asText()).isEmpty();
        assertThat(all.get("from").asDouble()).isBetween(T0 / (double) MS, (T0 + SEC) / (double) MS);
        assertThat(browser.js("return [innerWidth, innerHeight, document.documentElement.scrollWidth,"
                + " Math.round(document.getElementById('chart-tiers').getBoundingClientRect().bottom)];"))
                .as("a 1280x800 page, no horizontal scrolling, both charts in view")
                .satisfies(o -> {
                    List<?> l = (List<?>) o;
                    assertThat(((Number) l.get(0)).intValue()).isEqualTo(1280);
                    assertThat(((Number) l.get(1)).intValue()).isEqualTo(800);
                    assertThat(((Number) l.get(2)).intValue()).isLessThanOrEqualTo(1280);
                    assertThat(((Number) l.get(3)).intValue()).isLessThanOrEqualTo(800);
                });
        JsonNode tiers = all.get("tiers");
        assertDrawnAsAnswered(tiers, "tiers");
        int coarseTier = tiers.get("apiTier").asInt();
        assertThat(coarseTier).as("a 5-minute view at ~900 px comes from a downsampled tier").isGreaterThanOrEqualTo(0);
        assertThat(tiers.get("candidates").asLong()).isGreaterThanOrEqualTo(tiers.get("apiPoints").asLong());
        assertThat(tiers.get("nulls").asInt()).as("the 10 s gap comes back as a null: a break in the line").isGreaterThanOrEqualTo(1);
        JsonNode raw = all.get("raw");
        assertThat(raw.get("state").asText()).isEqualTo("unavailable");
        assertThat(raw.get("note").asText()).contains("raw not retained for this range");
        assertThat(raw.get("ink").asInt()).isZero();
        screenshot("dashboard-all.png");

        // a real drag-select over 80%..98% of the tiers chart: about 240 s .. 294 s, inside the raw ring
        WebElement over = browser.driver.findElement(By.cssSelector("#chart-tiers .u-over"));
        int w = over.getSize().getWidth();
        new Actions(browser.driver).moveToElement(over, (int) (w * 0.30), 0).clickAndHold()
                .moveByOffset((int) (w * 0.09), 10).moveByOffset((int) (w * 0.09), 0).release().perform();
        seq = settled(seq);

        JsonNode zoomed = view();
        assertThat(zoomed.get("zoomed").asBoolean()).isTrue();
        double from = zoomed.get("from").asDouble(), to = zoomed.get("to").asDouble();
        assertThat(from).isBetween((T0 + 235 * SEC) / (double) MS, (T0 + 245 * SEC) / (double) MS);
        assertThat(to).isBetween((T0 + 290 * SEC) / (double) MS, (T0 + 298 * SEC) / (double) MS);
        JsonNode fineTiers = zoomed.get("tiers");
        assertDrawnAsAnswered(fineTiers, "tiers");
        assertThat(fineTiers.get("reqFrom").asDouble()).isEqualTo(from);
        assertThat(fineTiers.get("apiTier").asInt()).as("zooming in reads a finer tier (or raw)").isLessThan(coarseTier);
        JsonNode fineRaw = zoomed.get("raw");
        assertDrawnAsAnswered(fineRaw, "raw");
        assertThat(fineRaw.get("apiTier").asInt()).isEqualTo(SeriesStore.RAW);
        assertThat(fineRaw.get("apiFirst").asDouble()).isGreaterThanOrEqualTo(from);
        assertThat(fineRaw.get("apiLast").asDouble()).isLessThan(to);
        assertThat(fineRaw.get("candidates").asLong()).as("1 kHz over the zoomed window")
                .isBetween((long) ((to - from) * 0.99), (long) (to - from) + 1);
        screenshot("dashboard.png");

        // pan left by half the window with the button; the width stays
        browser.driver.findElement(By.id("pan-left")).click();
        seq = settled(seq);
        JsonNode panned = view();
        assertThat(panned.get("from").asDouble()).isCloseTo(from - (to - from) / 2, offset(1e-6));
        assertThat(panned.get("to").asDouble() - panned.get("from").asDouble()).isCloseTo(to - from, offset(1e-6));
        assertDrawnAsAnswered(panned.get("raw"), "raw");
        assertDrawnAsAnswered(panned.get("tiers"), "tiers");

        // shift+drag pans: dragging the chart right by a quarter of its width shows a quarter-window earlier
        double pFrom = panned.get("from").asDouble(), pTo = panned.get("to").asDouble();
        WebElement rawOver = browser.driver.findElement(By.cssSelector("#chart-raw .u-over"));
        int rw = rawOver.getSize().getWidth();
        new Actions(browser.driver).moveToElement(rawOver).keyDown(Keys.SHIFT).clickAndHold()
                .moveByOffset(rw / 8, 0).moveByOffset(rw / 8, 0).release().keyUp(Keys.SHIFT).perform();
        seq = settled(seq);
        JsonNode dragged = view();
        double quarter = (pTo - pFrom) * (2 * (rw / 8)) / (double) rw;
        assertThat(pFrom - dragged.get("from").asDouble()).isCloseTo(quarter, offset((pTo - pFrom) / rw * 2));
        assertThat(dragged.get("to").asDouble() - dragged.get("from").asDouble()).isCloseTo(pTo - pFrom, offset(1e-6));
        assertThat(browser.js("return window.spindleDashboard.charts.raw.select.width;")).as("a pan is not a zoom selection").isEqualTo(0L);
        assertDrawnAsAnswered(dragged.get("tiers"), "tiers");

        // the last minute: a range (not a zoom), still inside the raw ring
        browser.driver.findElement(By.id("range-1m")).click();
        seq = settled(seq);
        JsonNode minute = view();
        assertThat(minute.get("zoomed").asBoolean()).isFalse();
        assertThat(minute.get("to").asDouble() - minute.get("from").asDouble()).isEqualTo(60_000.0);
        assertDrawnAsAnswered(minute.get("raw"), "raw");

        // reset zoom after a zoom goes back to the range
        browser.driver.findElement(By.id("zoom-in")).click();
        seq = settled(seq);
        assertThat(view().get("zoomed").asBoolean()).isTrue();
        browser.driver.findElement(By.id("zoom-reset")).click();
        seq = settled(seq);
        JsonNode reset = view();
        assertThat(reset.get("zoomed").asBoolean()).isFalse();
        assertThat(reset.get("from").asDouble()).isEqualTo(minute.get("from").asDouble());

        // a series without points: nothing to ask the API, both panels say so
        WebElement filter = browser.driver.findElement(By.id("series-filter"));
        filter.clear();
        filter.sendKeys("mode");
        browser.await("the filtered list", WAIT, () -> browser.driver.findElements(By.cssSelector("#series option")).size() == 1);
        new Select(browser.driver.findElement(By.id("series"))).selectByValue(DashboardTestData.EVENTS_ONLY);
        seq = settled(seq);
        JsonNode empty = view();
        for (String src : List.of("tiers", "raw")) {
            assertThat(empty.get(src).get("state").asText()).isEqualTo("unavailable");
            assertThat(empty.get(src).get("note").asText()).isEqualTo("this series holds no points");
            assertThat(empty.get(src).get("ink").asInt()).isZero();
        }

        List<LogEntry> severe = browser.console().stream().filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue()).toList();
        assertThat(severe).as("console errors").isEmpty();

        // an API error is shown in the page (and the console check above would have seen it)
        browser.js("const d = window.spindleDashboard;"
                + "d.state.seriesList.push({name: 'no/such-series', first_ms: 0, last_ms: 1000, raw_count: 0, tier_counts: [10]});"
                + "d.select('no/such-series');");
        String error = browser.await("the error banner", WAIT, () -> {
            WebElement e = browser.driver.findElement(By.id("error"));
            return e.isDisplayed() && !e.getText().isBlank() ? e.getText() : null;
        });
        assertThat(error).contains("Downsampled query failed").contains("HTTP 404");
        assertThat(browser.console()).anyMatch(e -> e.getLevel().intValue() >= Level.SEVERE.intValue());
    }

    @Test
    void liveRefreshFollowsNewDataAndAZoomedWindowSlidesWithIt() throws IOException {
        browser.driver.get(server.url() + "ui/?live=1&range=1m#series=" + DashboardTestData.LIVE.replace("/", "%2F"));
        long seq = settled(0);
        JsonNode first = view();
        assertThat(first.get("series").asText()).isEqualTo(DashboardTestData.LIVE);
        assertThat(browser.driver.findElement(By.id("live")).isSelected()).isTrue();
        assertDrawnAsAnswered(first.get("raw"), "raw");

        browser.driver.findElement(By.id("zoom-in")).click();
        settled(seq);
        JsonNode zoomed = view();
        double from = zoomed.get("from").asDouble(), to = zoomed.get("to").asDouble();
        double rawLastBefore = zoomed.get("raw").get("apiLast").asDouble();

        live.append(store, 5);
        double slid = (live.lastNanos() / (double) MS) - (first.get("to").asDouble() - 1);
        assertThat(slid).isEqualTo(5_000.0);
        JsonNode after = browser.await("the zoomed window to slide by the new 5 s", WAIT, () -> {
            try {
                JsonNode v = view();
                for (String src : List.of("tiers", "raw")) {
                    JsonNode p = v.get(src);
                    if (p.get("seq").asLong() != v.get("seq").asLong() || !"ready".equals(p.get("state").asText())
                            || p.get("reqFrom").asDouble() != from + slid) return null;
                }
                return v;
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        });
        assertThat(after.get("zoomed").asBoolean()).isTrue();
        assertThat(after.get("to").asDouble() - after.get("from").asDouble()).isEqualTo(to - from);
        assertThat(after.get("raw").get("apiLast").asDouble()).isGreaterThan(rawLastBefore);
        assertDrawnAsAnswered(after.get("raw"), "raw");
        assertDrawnAsAnswered(after.get("tiers"), "tiers");

        browser.driver.findElement(By.id("live")).click();
        assertThat(browser.js("return window.spindleDashboard.state.live;")).isEqualTo(false);
        assertThat(browser.console()).as("console errors").noneMatch(e -> e.getLevel().intValue() >= Level.SEVERE.intValue());
    }

    /** The count shown is what the API said it returned, what the chart holds and draws, and within max_points. */
    private static void assertDrawnAsAnswered(JsonNode p, String source) {
        assertThat(p.get("state").asText()).as(source + " panel state").isEqualTo("ready");
        long shown = Long.parseLong(p.get("shownPoints").asText());
        assertThat(shown).as(source + " points shown").isEqualTo(p.get("apiPoints").asLong()).isEqualTo(p.get("plotted").asLong());
        assertThat(shown).as(source + " points vs max_points").isPositive().isLessThanOrEqualTo(p.get("maxPoints").asLong());
        assertThat(p.get("maxPoints").asInt()).as(source + " max_points follows the chart width").isEqualTo(p.get("plotWidth").asInt());
        assertThat(p.get("shownTier").asText()).isEqualTo(p.get("apiTier").asText());
        assertThat(p.get("apiSource").asText()).isEqualTo(source);
        assertThat(p.get("shownQueryMs").asText()).matches("\\d+\\.\\d+");
        assertThat(p.get("ink").asInt()).as(source + " line pixels on the canvas").isGreaterThan(200);
    }

    private static void screenshot(String name) throws IOException {
        Path shot = Path.of("target", name);
        Files.createDirectories(shot.getParent());
        Files.write(shot, browser.driver.getScreenshotAs(OutputType.BYTES));
    }

    private static long settled(long after) {
        return browser.await("both charts to finish loading (after load " + after + ")", WAIT, () -> {
            Object s = browser.js(SETTLED);
            return s instanceof Number n && n.longValue() > after ? n.longValue() : null;
        });
    }

    private static JsonNode view() throws IOException {
        return JSON.readTree((String) browser.js(VIEW));
    }
}
