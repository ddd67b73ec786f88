package io.aura.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every relative link in the README and the docs reaches a file of the repository, and a link to a
 * section of a Markdown file names a heading that file has (GitHub's anchors: lower case, punctuation
 * dropped, spaces as hyphens, repeated headings numbered).
 */
class DocsLinksTest {

    private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");
    private static final Pattern HEADING = Pattern.compile("^#{1,6}\\s+(.*?)\\s*#*\\s*$");

    static Path root() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.exists(p.resolve("mvnw"))) {
            p = p.getParent();
        }
        assertThat(p).as("the repository root (a directory with mvnw) above " + Path.of("").toAbsolutePath()).isNotNull();
        return p;
    }

    /** GitHub's anchor of a heading's text. */
    static String anchor(String heading) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < heading.length(); ) {
            int c = heading.codePointAt(i);
            i += Character.charCount(c);
            if (Character.isLetterOrDigit(c) || c == '_' || c == '-') {
                b.appendCodePoint(Character.toLowerCase(c));
            } else if (c == ' ') {
                b.append('-');
            }
        }
        return b.toString();
    }

    static Set<String> anchors(Path md) throws IOException {
        Set<String> out = new HashSet<>();
        Map<String, Integer> seen = new HashMap<>();
        boolean fenced = false;
        for (String line : Files.readAllLines(md)) {
            if (line.strip().startsWith("```")) {
                fenced = !fenced;
                continue;
            }
            Matcher m = HEADING.matcher(line);
            if (!fenced && m.matches()) {
                String a = anchor(m.group(1));
                int n = seen.merge(a, 1, Integer::sum) - 1;
                out.add(n == 0 ? a : a + "-" + n);
            }
        }
        return out;
    }

    @Test
    void anchorsFollowGitHub() {
        assertThat(anchor("Agents: POST /a2a/auth/agent and WebSocket /ws/a2a/{agent_id}"))
                .isEqualTo("agents-post-a2aauthagent-and-websocket-wsa2aagent_id");
        assertThat(anchor("`aura ripser` beside Ripser 1.2.1 (issue 2)")).isEqualTo("aura-ripser-beside-ripser-121-issue-2");
        assertThat(anchor("Speed and scale (spec 6.8, T8; JMH `PredictBenchmark`, `PredictFootprint`)"))
                .isEqualTo("speed-and-scale-spec-68-t8-jmh-predictbenchmark-predictfootprint");
    }

    @Test
    void everyRelativeLinkInTheDocsResolves() throws IOException {
        Path root = root();
        List<Path> docs = new ArrayList<>();
        docs.add(root.resolve("README.md"));
        for (String dir : List.of("docs", "bench")) {
            try (Stream<Path> s = Files.list(root.resolve(dir))) {
                s.filter(p -> p.toString().endsWith(".md")).sorted().forEach(docs::add);
            }
        }
        Map<Path, Set<String>> anchorsOf = new HashMap<>();
        List<String> broken = new ArrayList<>();
        int links = 0;
        for (Path md : docs) {
            String text = Files.readString(md);
            Matcher m = LINK.matcher(text);
            while (m.find()) {
                String target = m.group(1);
                if (target.matches("(?i)[a-z][a-z0-9+.-]*:.*")) {
                    continue; // http:, https:, mailto:
                }
                links++;
                int hash = target.indexOf('#');
                String file = hash < 0 ? target : target.substring(0, hash);
                String section = hash < 0 ? null : target.substring(hash + 1);
                Path to = file.isEmpty() ? md : md.getParent().resolve(file).normalize();
                String where = root.relativize(md) + ": (" + target + ")";
                if (!to.startsWith(root) || !Files.exists(to)) {
                    broken.add(where + " names a file that does not exist");
                    continue;
                }
                if (section != null && to.toString().toLowerCase(Locale.ROOT).endsWith(".md")) {
                    Set<String> a = anchorsOf.get(to);
                    if (a == null) {
                        a = anchors(to);
                        anchorsOf.put(to, a);
                    }
                    if (!a.contains(section)) {
                        broken.add(where + " names a section " + root.relativize(to) + " does not have");
                    }
                }
            }
        }
        assertThat(links).as("relative links found").isGreaterThan(50);
        assertThat(broken).as("broken links").isEmpty();
    }
}
