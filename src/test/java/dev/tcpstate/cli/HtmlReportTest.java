package dev.tcpstate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tcpstate.testing.Environment;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code analyze --format html} opened in real headless Chromium: the page's script runs to its
 * end without an error, sorts every column of the connection table correctly (its #selftest),
 * and the page needs nothing from the network. Skipped when Chromium is not installed
 * (Debian: apt-get install chromium).
 */
class HtmlReportTest {
    private static final String CHROMIUM = System.getProperty("tcpstate.chromium", "/usr/bin/chromium");

    @TempDir
    Path dir;

    private Path report(String sample, String... options) {
        Path html = dir.resolve(sample + ".html");
        StringWriter err = new StringWriter();
        List<String> args = new ArrayList<>(List.of("analyze", "--format", "html", "-o", html.toString()));
        args.addAll(List.of(options));
        args.add(Environment.samples().resolve(sample).toString());
        int code = Main.run(new PrintWriter(new StringWriter()), new PrintWriter(err), args.toArray(String[]::new));
        assertThat(code).as(err.toString()).isZero();
        assertThat(err.toString()).contains("wrote " + html);
        return html;
    }

    @Test
    void theReportIsSelfContained() throws Exception {
        String html = Files.readString(report("syn-flood.pcap"));
        Matcher references = Pattern.compile("(?:src|href)=\"([^\"#][^\"]*)\"").matcher(html);
        while (references.find()) {
            assertThat(references.group(1)).as("a reference that needs the network or another file").isEmpty();
        }
        assertThat(html).doesNotContain("<link").doesNotContain("@import").doesNotContain("url(http");
        assertThat(html).contains("TS301 syn-flood").contains("<svg").contains("id=\"conns\"")
                .contains("SYN rate (flood shaded)").contains("class=\"flood\"").contains("Handshake RTT")
                .contains("TIME-WAIT per host").contains("Connections by outcome over time");
    }

    @Test
    void chromiumRendersItWithoutScriptErrorsAndItsTableSorts() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of(CHROMIUM)), "Chromium not installed at " + CHROMIUM);
        for (String sample : new String[] {"syn-flood.pcap", "client-close.pcap", "firewalled-syn.pcap"}) {
            Path html = report(sample);
            String dom = Environment.run(CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu",
                    "--user-data-dir=" + dir.resolve("profile"), "--dump-dom", html.toUri() + "#selftest");
            assertThat(dom).as("%s rendered by Chromium", sample).contains("<body");
            Matcher body = Pattern.compile("<body([^>]*)>").matcher(dom);
            assertThat(body.find()).isTrue();
            assertThat(body.group(1)).as(sample).contains("data-status=\"ok\"").contains("data-selftest=\"sorted\"");
        }
        // and a picture of it, to look at (docs/report.png is one, checked in)
        Path png = dir.resolve("report.png");
        Environment.run(CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                "--user-data-dir=" + dir.resolve("profile"), "--window-size=1280,1800", "--screenshot=" + png,
                report("syn-flood.pcap").toUri().toString());
        assertThat(png).exists();
        assertThat(Files.size(png)).isGreaterThan(20_000);
    }

    /** Colours by meaning: the same outcome has the same colour in every chart, legend and table row of every report. */
    private static final Map<String, String> OUTCOME_COLOURS = Map.of("complete", "#2e7d32", "refused", "#c62828",
            "unanswered", "#ef6c00", "no-final-ack", "#f9a825", "reset", "#ad1457", "half-open", "#ff7043",
            "continued", "#cfd8dc");

    @Test
    void eachOutcomeHasItsColourEverywhere() throws Exception {
        Map<String, String> seen = new HashMap<>();
        for (String sample : new String[] {"syn-flood.pcap", "refused.pcap", "firewalled-syn.pcap", "half-open.pcap",
            "server-abort.pcap"}) {
            String html = Files.readString(report(sample));
            Matcher legend = Pattern.compile("<li data-series=\"([^\"]+)\" data-colour=\"(#[0-9a-f]{6})\">").matcher(html);
            Matcher bars = Pattern.compile("<rect class=\"bar\" data-series=\"([^\"]+)\"[^>]* fill=\"(#[0-9a-f]{6})\"")
                    .matcher(html);
            Matcher rows = Pattern.compile("<td class=\"outcome\"><i class=\"swatch\" style=\"background:(#[0-9a-f]{6})\">"
                    + "</i>([a-z-]+)</td>").matcher(html);
            for (Matcher m : List.of(legend, bars)) {
                while (m.find()) {
                    if (!m.group(1).contains(".") && !m.group(1).contains("/")) { // outcomes, not hosts or rates
                        assertThat(seen.merge(m.group(1), m.group(2), (a, b) -> a.equals(b) ? a : a + " and " + b))
                                .as("%s's colour in %s", m.group(1), sample).isEqualTo(m.group(2));
                    }
                }
            }
            while (rows.find()) {
                assertThat(seen.merge(rows.group(2), rows.group(1), (a, b) -> a.equals(b) ? a : a + " and " + b))
                        .as("%s's colour in the table of %s", rows.group(2), sample).isEqualTo(rows.group(1));
            }
        }
        assertThat(seen).containsKeys("complete", "refused", "unanswered", "no-final-ack");
        seen.forEach((outcome, colour) -> {
            if (OUTCOME_COLOURS.containsKey(outcome)) {
                assertThat(colour).as(outcome).isEqualTo(OUTCOME_COLOURS.get(outcome));
            }
        });
    }

    /** The tick labels of each figure with a time axis, in order. */
    private static List<List<String>> timeTicks(String html) {
        List<List<String>> charts = new ArrayList<>();
        for (String figure : html.split("<figure>")) {
            if (!figure.contains("time in ")) {
                continue;
            }
            List<String> ticks = new ArrayList<>();
            Matcher tick = Pattern.compile("<text class=\"tick\"[^>]*>([^<]+)</text>").matcher(figure);
            while (tick.find()) {
                ticks.add(tick.group(1));
            }
            charts.add(ticks);
        }
        return charts;
    }

    @Test
    void theTimeChartsShareOneAxisWithRoundTicksAndItsZone() throws Exception {
        // firewalled-syn has no TIME-WAIT: that chart's axis used to end after its first bar
        String html = Files.readString(report("firewalled-syn.pcap"));
        List<List<String>> ticks = timeTicks(html);
        assertThat(ticks).hasSize(3);
        assertThat(ticks.get(0)).containsExactly("11:37:38", "11:37:40", "11:37:42", "11:37:44");
        assertThat(ticks).allSatisfy(chart -> assertThat(chart).isEqualTo(ticks.get(0)));
        assertThat(html).contains("<span id=\"zone\">times in UTC</span>").contains(">time in UTC; bars of 120 ms<")
                .contains("2026-11-23T11:37:36.902598000Z .. 2026-11-23T11:37:44.100608000Z");
        // the RTT histogram: 1, 2, 5 of each decade
        String flood = Files.readString(report("syn-flood.pcap"));
        String rtt = flood.substring(flood.indexOf("<figcaption>Handshake RTT"));
        assertThat(rtt).contains(">0.02</text>").contains(">0.05</text>").contains(">0.1</text>");
        assertThat(timeTicks(flood).get(0)).containsExactly("11:38:07", "11:38:08", "11:38:09", "11:38:10", "11:38:11");
    }

    @Test
    void anotherZoneIsNamedInTheHeaderAndOnTheAxes() throws Exception {
        String html = Files.readString(report("firewalled-syn.pcap", "--tz", "Europe/Paris"));
        assertThat(html).contains("<span id=\"zone\">times in Europe/Paris (+01:00)</span>")
                .contains(">time in Europe/Paris (+01:00); bars of 120 ms<")
                .contains("2026-11-23T12:37:36.902598000+01:00").contains("12:37:44.100608+01:00")
                .doesNotContain("11:37:44.100");
        assertThat(timeTicks(html).get(0)).containsExactly("12:37:38", "12:37:40", "12:37:42", "12:37:44");
    }

    @Test
    void uidsSortByRecordNumberAndStartsByTime() throws Exception {
        String html = Files.readString(report("syn-flood.pcap"));
        assertThat(html).contains("<th data-type=\"num\">uid</th><th data-type=\"num\">start</th>");
        Matcher row = Pattern.compile("<tr id=\"(C[0-9A-Za-z]{17})\"[^>]*><td data-sort=\"(\\d+)\">\\1</td>"
                + "<td data-sort=\"(\\d+)\">").matcher(html);
        Set<Long> numbers = new LinkedHashSet<>();
        long previousStart = -1;
        while (row.find()) {
            assertThat(numbers.add(Long.parseLong(row.group(2)))).as("record numbers are distinct").isTrue();
            long start = Long.parseLong(row.group(3));
            assertThat(start).as("start, nanoseconds into the capture, in the rows' order").isGreaterThanOrEqualTo(previousStart);
            previousStart = start;
        }
        assertThat(numbers).hasSize(2020);
        // the page sorts by the keys, not by the text
        assertThat(html).contains("td.hasAttribute('data-sort')?td.getAttribute('data-sort'):td.textContent");
    }

    @Test
    void everyLinkLeadsSomewhereAndEachFindingExplainsItself() throws Exception {
        String html = Files.readString(report("syn-flood.pcap"));
        Matcher links = Pattern.compile("href=\"([^\"]*)\"").matcher(html);
        int count = 0;
        while (links.find()) {
            assertThat(links.group(1)).startsWith("#");
            assertThat(html).as("the target of %s", links.group(1)).contains("id=\"" + links.group(1).substring(1) + "\"");
            count++;
        }
        assertThat(count).isPositive();
        assertThat(html).contains("<details class=\"doc\" id=\"doc-ts301\"><summary>What TS301 means")
                .contains("section &ldquo;TS301 syn-flood&rdquo;").contains("<b>Meaning.</b> The rate alarm went off.")
                .contains("<li><code>syns</code>: SYN segments, retries included;</li>");
    }

    @Test
    void theTableScrollsSidewaysInsteadOfBeingCut() throws Exception {
        String html = Files.readString(report("syn-flood.pcap"));
        assertThat(html).contains("<div class=\"scroll\"><table id=\"conns\"")
                .contains(".scroll{overflow:auto;").contains("#connections{width:calc(100vw - 48px);max-width:none;");
    }
}
