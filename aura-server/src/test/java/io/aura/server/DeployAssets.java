package io.aura.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Grafana dashboard and the Prometheus alert rules in deploy/: the metric names they query,
 * checked against a real server's /metrics by the tests that run the services behind them.
 */
final class DeployAssets {

    static final Path DASHBOARD = Path.of("../deploy/grafana/aura-dashboard.json");
    static final Path ALERTS = Path.of("../deploy/prometheus/aura-alerts.yml");
    static final Path ALERTS_TEST = Path.of("../deploy/prometheus/aura-alerts-test.yml");

    /** A metric name of ours or of the JVM's (Prometheus' own {@code up} is not one). */
    private static final Pattern METRIC = Pattern.compile("\\b((?:aura|http_server|jvm|process|system)_[a-z0-9_]+)\\b");
    private static final Pattern EXPORTED = Pattern.compile("(?m)^([a-zA-Z_:][a-zA-Z0-9_:]*)[{ ]");

    private DeployAssets() {
    }

    /** Every PromQL query of the dashboard's panels. */
    static List<String> dashboardQueries() {
        List<String> out = new ArrayList<>();
        for (JsonNode p : read(DASHBOARD).path("panels")) {
            for (JsonNode t : p.path("targets")) {
                out.add(t.path("expr").asText());
            }
        }
        return out;
    }

    static JsonNode read(Path p) {
        try {
            return Json.MAPPER.readTree(Files.readString(p));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The metric names that the dashboard and the alert rules query, starting with {@code prefix}. */
    static Set<String> queried(String prefix) {
        Set<String> names = new TreeSet<>();
        List<String> texts = new ArrayList<>(dashboardQueries());
        try {
            for (String line : Files.readAllLines(ALERTS)) { // the rules' expressions; annotations name no metric
                if (!line.strip().startsWith("summary:") && !line.strip().startsWith("description:") && !line.strip().startsWith("#")) {
                    texts.add(line);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (String t : texts) {
            Matcher m = METRIC.matcher(t);
            while (m.find()) {
                if (m.group(1).startsWith(prefix)) {
                    names.add(m.group(1));
                }
            }
        }
        return names;
    }

    /** The metric names (with their _total, _count, _bucket suffixes) a server's /metrics exports now. */
    static Set<String> exported(TestServer s) {
        Set<String> names = new TreeSet<>();
        Matcher m = EXPORTED.matcher(s.get("/metrics", null).body());
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    /** Every queried metric starting with {@code prefix} is exported by {@code s}. */
    static void assertExported(TestServer s, String prefix) {
        Set<String> wanted = queried(prefix);
        assertThat(wanted).as("the deploy assets query metrics starting with " + prefix).isNotEmpty();
        assertThat(exported(s)).as("metrics of " + s.uri("/metrics")).containsAll(wanted);
    }
}
