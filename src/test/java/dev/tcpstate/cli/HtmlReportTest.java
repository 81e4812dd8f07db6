package dev.tcpstate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tcpstate.testing.Environment;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
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

    private Path report(String sample) {
        Path html = dir.resolve(sample + ".html");
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(new StringWriter()), new PrintWriter(err), "analyze", "--format", "html",
                "-o", html.toString(), Environment.samples().resolve(sample).toString());
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
}
