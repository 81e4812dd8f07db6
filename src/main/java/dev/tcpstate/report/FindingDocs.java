package dev.tcpstate.report;

import dev.tcpstate.detect.FindingType;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Each finding's entry of docs/findings.md, as HTML for the report: the build copies the page
 * into the jar, so a report opened anywhere (mailed, archived, on a CI page) explains its
 * findings itself instead of linking to a file it does not have. The page's Markdown is the
 * little it uses: paragraphs, "- " lists, {@code `code`} and {@code **bold**}.
 */
final class FindingDocs {
    private static final String RESOURCE = "findings.md";
    private static final Pattern CODE = Pattern.compile("`([^`]+)`");
    private static final Pattern BOLD = Pattern.compile("\\*\\*([^*]+)\\*\\*");
    private static final Pattern LINK = Pattern.compile("\\[([^\\]]+)\\]\\([^)]+\\)");

    private FindingDocs() {
    }

    /** The entry of {@code type} ("### TS301 syn-flood" up to the next heading) as HTML; empty if the page lacks it. */
    static Optional<String> html(FindingType type) {
        return section(page(), "### " + type.id() + " " + type.title()).map(FindingDocs::toHtml);
    }

    private static String page() {
        try (InputStream in = FindingDocs.class.getResourceAsStream(RESOURCE)) {
            return in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Optional<String> section(String page, String heading) {
        List<String> lines = page.lines().toList();
        int from = lines.indexOf(heading);
        if (from < 0) {
            return Optional.empty();
        }
        int to = from + 1;
        while (to < lines.size() && !lines.get(to).startsWith("#")) {
            to++;
        }
        return Optional.of(String.join("\n", lines.subList(from + 1, to)).strip());
    }

    /** Blocks split at blank lines; "- " lines are list items, their indented lines continue them. */
    static String toHtml(String markdown) {
        StringBuilder html = new StringBuilder();
        for (String block : markdown.split("\\n\\s*\\n")) {
            List<String> items = new ArrayList<>();
            StringBuilder paragraph = new StringBuilder();
            for (String line : block.split("\\n")) {
                if (line.startsWith("- ")) {
                    paragraph(paragraph, html);
                    items.add(line.substring(2).strip());
                } else if (!items.isEmpty() && line.startsWith(" ")) {
                    items.set(items.size() - 1, items.get(items.size() - 1) + " " + line.strip());
                } else {
                    flush(items, html);
                    paragraph.append(paragraph.length() == 0 ? "" : " ").append(line.strip());
                }
            }
            paragraph(paragraph, html);
            flush(items, html);
        }
        return html.toString();
    }

    private static void paragraph(StringBuilder paragraph, StringBuilder html) {
        if (!paragraph.isEmpty()) {
            html.append("<p>").append(inline(paragraph.toString())).append("</p>");
            paragraph.setLength(0);
        }
    }

    private static void flush(List<String> items, StringBuilder html) {
        if (items.isEmpty()) {
            return;
        }
        html.append("<ul>");
        items.forEach(item -> html.append("<li>").append(inline(item)).append("</li>"));
        html.append("</ul>");
        items.clear();
    }

    /** Code spans, bold, and links kept as their text (their targets are files of the repository). */
    private static String inline(String text) {
        String escaped = Xml.escape(LINK.matcher(text).replaceAll("$1"));
        escaped = CODE.matcher(escaped).replaceAll(m -> Matcher.quoteReplacement("<code>" + m.group(1) + "</code>"));
        return BOLD.matcher(escaped).replaceAll(m -> Matcher.quoteReplacement("<b>" + m.group(1) + "</b>"));
    }
}
