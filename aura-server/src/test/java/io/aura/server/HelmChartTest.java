package io.aura.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * deploy/helm/aura, checked by Helm itself (its Go library through helm-java's JNI binding, the
 * same code as the {@code helm} command): the chart lints strictly, its schema and its checks refuse
 * values that cannot work with a message that says why, the rendered objects fit together
 * (selectors, named ports, probes, the seed's HPA and security settings), every environment variable
 * it sets is one the server reads, a real server started with the rendered environment answers the
 * probes and the scrape path, two replicas rendered for a cluster find each other through the
 * rendered DNS name (TestDns standing in for the headless service), and the committed plain
 * manifests (deploy/kubernetes) are the chart rendered. The Dockerfile runs what the chart expects.
 */
class HelmChartTest {

    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    static final Path CHART = ROOT.resolve("deploy/helm/aura");
    static final Path PRODUCTION = CHART.resolve("values-production.yaml");
    static final Path MANIFESTS = ROOT.resolve("deploy/kubernetes/aura-deployment.yaml");
    static final String KUBE = "1.33.0";
    static final YAMLMapper YAML = new YAMLMapper(new YAMLFactory());

    @TempDir
    Path tmp;

    static TemplateCommand template() {
        return new Helm(CHART).template().withName("aura").withNamespace("aura-intelligence").withKubeVersion(KUBE);
    }

    static List<JsonNode> parse(String rendered) throws IOException {
        List<JsonNode> docs = new ArrayList<>();
        try (var it = YAML.readerFor(JsonNode.class).<JsonNode>readValues(rendered)) {
            while (it.hasNext()) {
                JsonNode d = it.next();
                if (d != null && !d.isNull() && !d.isMissingNode()) {
                    docs.add(d);
                }
            }
        }
        return docs;
    }

    /** Renders with the given values files (in order). */
    static List<JsonNode> render(Path... values) throws IOException {
        TemplateCommand t = template();
        for (Path v : values) {
            t = t.withValuesFile(v);
        }
        return parse(t.call());
    }

    Path values(Map<String, Object> v) throws IOException {
        Path f = Files.createTempFile(tmp, "values", ".yaml");
        YAML.writeValue(f.toFile(), v);
        return f;
    }

    static JsonNode one(List<JsonNode> docs, String kind, String name) {
        List<JsonNode> m = docs.stream().filter(d -> d.path("kind").asText().equals(kind)
                && d.at("/metadata/name").asText().equals(name)).toList();
        assertThat(m).as(kind + " " + name).hasSize(1);
        return m.get(0);
    }

    static List<String> kinds(List<JsonNode> docs) {
        return docs.stream().map(d -> d.path("kind").asText() + "/" + d.at("/metadata/name").asText()).sorted().toList();
    }

    @Test
    void theChartLintsStrictly() {
        LintResult r = new Helm(CHART).lint().strict().call();
        assertThat(r.isFailed()).as(r.getMessages().toString()).isFalse();
        assertThat(r.getMessages()).allSatisfy(m -> assertThat(m).startsWith("[INFO]"));
    }

    @Test
    void valuesThatCannotWorkAreRefusedWithTheReason() throws IOException {
        Map<String, String> bad = new LinkedHashMap<>();
        bad.put("replicaCount: 3", "several replicas (replicaCount > 1 or autoscaling.enabled) need database.url set to a PostgreSQL");
        bad.put("autoscaling: {enabled: true}", "need database.url set to a PostgreSQL");
        bad.put("replicaCont: 3", "additional properties 'replicaCont' not allowed");
        bad.put("config: {JWT_SECRET: abc}", "config.JWT_SECRET is a secret: put it in the Secret aura-secrets");
        bad.put("config: {aura_policy: auto}", "aura_policy");
        // a misspelt key, or one that only ./aura reads, would be kept in the ConfigMap and do nothing
        bad.put("config: {TDA_BACH_SIZE: '5'}", "config.TDA_BACH_SIZE is not a setting the server reads");
        bad.put("config: {AURA_JAVA_OPTS: '-XX:+UseZGC'}", "config.AURA_JAVA_OPTS: the image starts java itself; set javaOpts");
        bad.put("config: {AURA_NEO4J_PASSWORD: hunter2hunter2}", "config.AURA_NEO4J_PASSWORD is a secret");
        // keys the chart sets from its own values (a second one would be a duplicate key in the ConfigMap)
        bad.put("config: {AURA_DB_URL: 'jdbc:postgresql://db/aura'}", "config.AURA_DB_URL: set database.url");
        bad.put("config: {AURA_CLUSTER_DNS: aura.example}", "config.AURA_CLUSTER_DNS: the chart sets it");
        bad.put("secret: {create: true}", "secret.data.JWT_SECRET is not set");
        bad.put("secret: {create: true, data: {JWT_SECRET: short}}", "shorter than 32 bytes");
        bad.put("database: {url: 'postgres://db/aura'}", "at '/database/url'");
        bad.put("service: {port: 70000}", "at '/service/port'");
        bad.put("autoscaling: {scaleDown: {periodSeconds: 0}}", "at '/autoscaling/scaleDown/periodSeconds'");
        bad.put("terminationGracePeriodSeconds: 10", "terminationGracePeriodSeconds (10) must be at least preStopSleepSeconds (5) + 15");
        for (var e : bad.entrySet()) {
            Path f = Files.createTempFile(tmp, "bad", ".yaml");
            Files.writeString(f, e.getKey() + "\n");
            assertThatThrownBy(() -> template().withValuesFile(f).call()).as(e.getKey())
                    .hasMessageContaining(e.getValue());
        }
    }

    /**
     * Every environment variable ServerConfig reads is, in {@code config:}, either accepted, refused as a
     * secret, or refused as one the chart sets from its own values: never refused as unknown. Together
     * with the misspelt key above, the chart's list of keys and the server's stay the same.
     */
    @Test
    void everyKeyTheServerReadsIsKnownToTheChart() throws IOException {
        String config = Files.readString(Path.of("src/main/java/io/aura/server/ServerConfig.java"));
        Set<String> keys = new java.util.TreeSet<>();
        Matcher m = Pattern.compile("\"([A-Z][A-Z0-9]*_[A-Z0-9_]*[A-Z0-9])\"").matcher(config);
        while (m.find()) {
            keys.add(m.group(1));
        }
        assertThat(keys).contains("TDA_BATCH_SIZE", "AURA_POLICY", "AURA_NEO4J_PASSWORD", "OTEL_SERVICE_NAME", "ENABLE_QUANTUM_TDA");
        for (String k : keys) {
            Path f = Files.createTempFile(tmp, "key", ".yaml");
            Files.writeString(f, "config: {" + k + ": '1'}\n");
            try {
                template().withValuesFile(f).call();
            } catch (IllegalStateException e) {
                assertThat(e.getMessage()).as(k).doesNotContain("is not a setting the server reads")
                        .containsAnyOf("is a secret", "set ", "the chart sets it");
            }
        }
    }

    @Test
    void theDefaultIsOneReplicaOnH2KeptOnAVolume() throws IOException {
        List<JsonNode> docs = render();
        assertThat(kinds(docs)).containsExactly("ConfigMap/aura-config", "Deployment/aura", "PersistentVolumeClaim/aura-data",
                "Service/aura", "ServiceAccount/aura");
        JsonNode dep = one(docs, "Deployment", "aura");
        assertThat(dep.at("/spec/replicas").asInt()).isEqualTo(1);
        assertThat(dep.at("/spec/strategy/type").asText()).isEqualTo("Recreate");
        assertThat(one(docs, "ConfigMap", "aura-config").path("data").has("AURA_CLUSTER_DNS")).isFalse();
        JsonNode pod = dep.at("/spec/template/spec");
        assertThat(pod.at("/volumes/0/persistentVolumeClaim/claimName").asText()).isEqualTo("aura-data");
        assertWellFormed(docs);
    }

    @Test
    void theProductionValuesAreTheSeedsShape() throws IOException {
        List<JsonNode> docs = render(PRODUCTION);
        assertThat(kinds(docs)).containsExactly("ConfigMap/aura-config", "Deployment/aura", "HorizontalPodAutoscaler/aura",
                "NetworkPolicy/aura", "PodDisruptionBudget/aura", "Service/aura", "Service/aura-cluster", "ServiceAccount/aura");
        assertThat(docs).allSatisfy(d -> assertThat(d.at("/metadata/namespace").asText()).isEqualTo("aura-intelligence"));
        // the seed's ConfigMap keys, with its limits
        JsonNode cm = one(docs, "ConfigMap", "aura-config").path("data");
        assertThat(cm.path("MAX_AGENTS_PER_REQUEST").asText()).isEqualTo("10000");
        assertThat(cm.path("MAX_TOPOLOGY_DIMENSION").asText()).isEqualTo("100");
        assertThat(cm.path("REQUEST_TIMEOUT_SECONDS").asText()).isEqualTo("30");
        assertThat(cm.path("AURA_CLUSTER_DNS").asText()).isEqualTo("aura-cluster.aura-intelligence.svc.cluster.local");
        // the seed's HPA: 3..50 replicas at 70% CPU, on the Deployment
        JsonNode hpa = one(docs, "HorizontalPodAutoscaler", "aura");
        assertThat(hpa.path("apiVersion").asText()).isEqualTo("autoscaling/v2");
        assertThat(hpa.at("/spec/scaleTargetRef/kind").asText()).isEqualTo("Deployment");
        assertThat(hpa.at("/spec/scaleTargetRef/name").asText()).isEqualTo("aura");
        assertThat(hpa.at("/spec/minReplicas").asInt()).isEqualTo(3);
        assertThat(hpa.at("/spec/maxReplicas").asInt()).isEqualTo(50);
        assertThat(hpa.at("/spec/metrics/0/resource/target/averageUtilization").asInt()).isEqualTo(70);
        // scale-down closes agents' sockets: one pod at a time, after 10 minutes of a lower recommendation
        assertThat(hpa.at("/spec/behavior/scaleDown/stabilizationWindowSeconds").asInt()).isEqualTo(600);
        assertThat(hpa.at("/spec/behavior/scaleDown/policies/0/type").asText()).isEqualTo("Pods");
        assertThat(hpa.at("/spec/behavior/scaleDown/policies/0/value").asInt()).isEqualTo(1);
        assertThat(hpa.at("/spec/behavior/scaleDown/policies/0/periodSeconds").asInt()).isEqualTo(120);
        assertThat(hpa.at("/spec/behavior/scaleUp").isMissingNode()).as("scale-up keeps Kubernetes' default").isTrue();
        JsonNode dep = one(docs, "Deployment", "aura");
        assertThat(dep.at("/spec/replicas").isMissingNode()).as("the autoscaler owns the replica count").isTrue();
        assertThat(dep.at("/spec/strategy/rollingUpdate/maxUnavailable").asInt()).isZero();
        // the replicas' own port open only between them
        JsonNode np = one(docs, "NetworkPolicy", "aura");
        assertThat(np.at("/spec/ingress/1/ports/0/port").asText()).isEqualTo("hazelcast");
        assertThat(np.at("/spec/ingress/1/from/0/podSelector/matchLabels")).isEqualTo(dep.at("/spec/selector/matchLabels"));
        // the cluster service lists replicas that are not ready yet, so that they find each other while starting
        JsonNode headless = one(docs, "Service", "aura-cluster");
        assertThat(headless.at("/spec/clusterIP").asText()).isEqualTo("None");
        assertThat(headless.at("/spec/publishNotReadyAddresses").asBoolean()).isTrue();
        // pod security: the "restricted" Pod Security Standard (the seed's PodSecurityPolicy is gone from Kubernetes)
        JsonNode pod = dep.at("/spec/template/spec");
        assertThat(pod.at("/securityContext/runAsNonRoot").asBoolean()).isTrue();
        assertThat(pod.at("/securityContext/seccompProfile/type").asText()).isEqualTo("RuntimeDefault");
        JsonNode c = pod.at("/containers/0");
        assertThat(c.at("/securityContext/allowPrivilegeEscalation").asBoolean()).isFalse();
        assertThat(c.at("/securityContext/readOnlyRootFilesystem").asBoolean()).isTrue();
        assertThat(c.at("/securityContext/capabilities/drop").toString()).isEqualTo("[\"ALL\"]");
        assertThat(pod.path("automountServiceAccountToken").asBoolean(true)).isFalse();
        assertThat(docs).noneSatisfy(d -> assertThat(d.path("kind").asText()).isIn("Role", "RoleBinding", "ClusterRole"));
        assertWellFormed(docs);
    }

    /** values-production.yaml under another release name spreads that release's replicas, not those of a release called aura. */
    @Test
    void theProductionValuesSpreadTheReplicasOfAnyReleaseName() throws IOException {
        List<JsonNode> docs = parse(new Helm(CHART).template().withName("aura-prod").withNamespace("aura-intelligence")
                .withKubeVersion(KUBE).withValuesFile(PRODUCTION).call());
        JsonNode pod = one(docs, "Deployment", "aura-prod").at("/spec/template/spec");
        assertThat(pod.at("/affinity/podAntiAffinity").findValues("labelSelector")).isNotEmpty();
        assertWellFormed(docs);
        List<JsonNode> hard = render(PRODUCTION, values(Map.of("podAntiAffinity", "hard")));
        assertThat(one(hard, "Deployment", "aura").at("/spec/template/spec/affinity/podAntiAffinity/requiredDuringSchedulingIgnoredDuringExecution/0/topologyKey")
                .asText()).isEqualTo("kubernetes.io/hostname");
        assertWellFormed(hard);
    }

    @Test
    void theOptionalPartsRender() throws IOException {
        Map<String, Object> v = new HashMap<>();
        v.put("vpa", Map.of("enabled", true));
        v.put("networkPolicy", Map.of("enabled", true, "denyAllInNamespace", true,
                "egressTo", List.of(Map.of("ports", List.of(Map.of("port", 5432, "protocol", "TCP"))))));
        v.put("istio", Map.of("mtls", true));
        v.put("ingress", Map.of("enabled", true, "className", "nginx", "host", "aura.example.org",
                "annotations", Map.of("nginx.ingress.kubernetes.io/proxy-read-timeout", "300")));
        v.put("service", Map.of("annotations", Map.of("networking.gke.io/load-balancer-type", "Internal")));
        v.put("autoscaling", Map.of("activeRequests", Map.of("enabled", true)));
        v.put("secret", Map.of("create", true, "data", Map.of("JWT_SECRET", "0123456789abcdef0123456789abcdef01")));
        v.put("redis", Map.of("url", "redis://redis:6379"));
        List<JsonNode> docs = render(PRODUCTION, values(v));
        assertThat(one(docs, "VerticalPodAutoscaler", "aura").at("/spec/resourcePolicy/containerPolicies/0/containerName").asText())
                .isEqualTo("aura");
        assertThat(one(docs, "PeerAuthentication", "aura").at("/spec/mtls/mode").asText()).isEqualTo("STRICT");
        // the seed's default deny for the namespace, and with Istio the sidecar's ports
        JsonNode deny = one(docs, "NetworkPolicy", "default-deny-all");
        assertThat(deny.at("/spec/podSelector").size()).isZero();
        assertThat(deny.at("/spec/policyTypes").toString()).isEqualTo("[\"Ingress\",\"Egress\"]");
        String np = one(docs, "NetworkPolicy", "aura").toString();
        assertThat(np).contains("{\"port\":15012,\"protocol\":\"TCP\"}", "{\"port\":15021,\"protocol\":\"TCP\"}",
                "{\"port\":5432,\"protocol\":\"TCP\"}");
        assertThat(one(docs, "Ingress", "aura").at("/spec/rules/0/http/paths/0/backend/service/port/name").asText()).isEqualTo("http");
        // the controller's settings reach it (the agents' WebSockets outlive nginx's 60-s default read timeout)
        assertThat(one(docs, "Ingress", "aura").at("/metadata/annotations/nginx.ingress.kubernetes.io~1proxy-read-timeout").asText())
                .isEqualTo("300");
        assertThat(one(docs, "Service", "aura").at("/metadata/annotations/networking.gke.io~1load-balancer-type").asText())
                .isEqualTo("Internal");
        assertThat(one(docs, "Secret", "aura-secrets").at("/stringData/JWT_SECRET").asText()).hasSize(34);
        JsonNode pods = one(docs, "HorizontalPodAutoscaler", "aura").at("/spec/metrics/1/pods");
        assertThat(pods.at("/metric/name").asText()).isEqualTo("aura_active_requests"); // a metric the server exports
        assertThat(pods.at("/target/averageValue").asText()).isEqualTo("30");
        assertThat(one(docs, "ConfigMap", "aura-config").at("/data/AURA_REDIS_URL").asText()).isEqualTo("redis://redis:6379");
        // the agent card names the ingress's address (https with TLS)
        assertThat(one(docs, "ConfigMap", "aura-config").at("/data/AURA_PUBLIC_URL").asText()).isEqualTo("http://aura.example.org");
        v.put("ingress", Map.of("enabled", true, "host", "aura.example.org", "tls", List.of(Map.of("secretName", "aura-tls",
                "hosts", List.of("aura.example.org")))));
        assertThat(one(render(PRODUCTION, values(v)), "ConfigMap", "aura-config").at("/data/AURA_PUBLIC_URL").asText())
                .isEqualTo("https://aura.example.org");
        assertWellFormed(docs);
    }

    /** What holds for every rendering: selectors match, named ports exist, every variable is one the server reads. */
    static void assertWellFormed(List<JsonNode> docs) throws IOException {
        JsonNode dep = docs.stream().filter(d -> d.path("kind").asText().equals("Deployment")).findFirst().orElseThrow();
        JsonNode labels = dep.at("/spec/template/metadata/labels");
        JsonNode pod = dep.at("/spec/template/spec");
        JsonNode c = pod.at("/containers/0");
        Set<String> ports = new HashSet<>();
        c.path("ports").forEach(p -> ports.add(p.path("name").asText()));
        assertThat(ports).contains("http");
        for (JsonNode d : docs) {
            String kind = d.path("kind").asText();
            assertThat(d.at("/metadata/name").asText()).matches("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
            JsonNode sel = switch (kind) {
                case "Service" -> d.at("/spec/selector");
                case "PodDisruptionBudget", "Deployment" -> d.at("/spec/selector/matchLabels");
                case "NetworkPolicy" -> d.at("/spec/podSelector/matchLabels");
                default -> null;
            };
            if (sel != null && !sel.isMissingNode()) {
                sel.properties().forEach(e -> assertThat(labels.path(e.getKey()).asText()).as(kind + " selector " + e.getKey())
                        .isEqualTo(e.getValue().asText()));
            }
            if (kind.equals("Service")) {
                d.at("/spec/ports").forEach(p -> assertThat(ports).as("Service " + d.at("/metadata/name").asText() + " targets a container port")
                        .contains(p.path("targetPort").asText()));
            }
        }
        // a spreading rule selects this release's own pods (another release name, or nameOverride, included)
        for (JsonNode ls : pod.at("/affinity/podAntiAffinity").findValues("labelSelector")) {
            assertThat(ls.path("matchLabels").size()).as("anti-affinity selector").isPositive();
            ls.path("matchLabels").properties().forEach(e -> assertThat(labels.path(e.getKey()).asText())
                    .as("anti-affinity selects the release's own pods: " + e.getKey()).isEqualTo(e.getValue().asText()));
        }
        for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
            assertThat(c.at("/" + probe + "/httpGet/port").asText()).isEqualTo("http");
            assertThat(c.at("/" + probe + "/httpGet/path").asText()).startsWith("/health");
        }
        // SIGTERM closes the listener and the agents' sockets at once: the pod first waits out its removal from
        // the endpoints (a sleep the image has: Ubuntu's coreutils), within the grace period, leaving the server 15 s
        JsonNode stop = c.at("/lifecycle/preStop/exec/command");
        assertThat(stop.get(0).asText()).isEqualTo("sleep");
        assertThat(stop.get(1).asInt()).isPositive();
        assertThat(pod.path("terminationGracePeriodSeconds").asInt()).isGreaterThanOrEqualTo(stop.get(1).asInt() + 15);
        assertThat(c.at("/resources/requests/cpu").isMissingNode()).isFalse();
        assertThat(c.at("/resources/limits/memory").isMissingNode()).isFalse();
        // the heap (MaxRAMPercentage of the limit) fits in the memory the node reserves for the pod: with a
        // request below it, the pod runs above its request and is among the first evicted under memory pressure
        long limit = quantity(c.at("/resources/limits/memory").asText());
        long request = quantity(c.at("/resources/requests/memory").asText());
        String opts = String.valueOf(podEnv(docs, SECRETS, "10.0.0.7").get("JDK_JAVA_OPTIONS"));
        Matcher pct = Pattern.compile("-XX:MaxRAMPercentage=([0-9.]+)").matcher(opts);
        assertThat(pct.find()).as("JDK_JAVA_OPTIONS sets MaxRAMPercentage: " + opts).isTrue();
        assertThat(limit * Double.parseDouble(pct.group(1)) / 100).as("heap against the memory request").isLessThanOrEqualTo(request);
        assertThat(request).as("memory request = limit").isEqualTo(limit);
        // the container's command line is the server's, on the port the Service and the probes use
        List<String> args = new ArrayList<>();
        c.path("args").forEach(a -> args.add(a.asText()));
        assertThat(args).containsExactly("serve", "--port", c.at("/ports/0/containerPort").asText(), "--data-dir",
                c.at("/volumeMounts/0/mountPath").asText());
        assertThat(dep.at("/spec/template/metadata/annotations/prometheus.io~1port").asText()).isEqualTo(c.at("/ports/0/containerPort").asText());
        // every variable the pod gets is one the server reads (a literal in ServerConfig), or the JVM's
        String config = Files.readString(Path.of("src/main/java/io/aura/server/ServerConfig.java"));
        for (String name : envNames(docs, c)) {
            if (!name.equals("JDK_JAVA_OPTIONS")) {
                assertThat(config).as(name + " is read by ServerConfig").contains("\"" + name + "\"");
            }
        }
    }

    static List<String> envNames(List<JsonNode> docs, JsonNode container) {
        List<String> names = new ArrayList<>();
        container.path("env").forEach(e -> names.add(e.path("name").asText()));
        for (JsonNode from : container.path("envFrom")) {
            String cm = from.at("/configMapRef/name").asText();
            one(docs, "ConfigMap", cm).path("data").fieldNames().forEachRemaining(names::add);
        }
        return names;
    }

    /**
     * The environment the kubelet would give the container: literal values, the ConfigMap, the
     * Secret's keys from {@code secrets} (an optional key absent when not there), the pod's IP.
     */
    static Map<String, String> podEnv(List<JsonNode> docs, Map<String, String> secrets, String podIp) {
        JsonNode c = docs.stream().filter(d -> d.path("kind").asText().equals("Deployment")).findFirst().orElseThrow()
                .at("/spec/template/spec/containers/0");
        Map<String, String> env = new HashMap<>();
        for (JsonNode from : c.path("envFrom")) {
            one(docs, "ConfigMap", from.at("/configMapRef/name").asText()).path("data").properties()
                    .forEach(e -> env.put(e.getKey(), e.getValue().asText()));
        }
        for (JsonNode e : c.path("env")) {
            String name = e.path("name").asText();
            if (e.has("value")) {
                env.put(name, e.path("value").asText());
            } else if (e.at("/valueFrom/secretKeyRef").isObject()) {
                String v = secrets.get(e.at("/valueFrom/secretKeyRef/key").asText());
                assertThat(v != null || e.at("/valueFrom/secretKeyRef/optional").asBoolean()).as(name + " is required").isTrue();
                if (v != null) {
                    env.put(name, v);
                }
            } else if (e.at("/valueFrom/fieldRef/fieldPath").asText().equals("status.podIP")) {
                env.put(name, podIp);
            } else {
                throw new AssertionError("a variable this test cannot resolve: " + e);
            }
        }
        return env;
    }

    static final Map<String, String> SECRETS = Map.of("JWT_SECRET", TestServer.SECRET);

    static void assertProbesAndScrapeAnswer(List<JsonNode> docs, TestServer s) {
        JsonNode dep = docs.stream().filter(d -> d.path("kind").asText().equals("Deployment")).findFirst().orElseThrow();
        JsonNode c = dep.at("/spec/template/spec/containers/0");
        for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
            TestServer.Response r = s.get(c.at("/" + probe + "/httpGet/path").asText(), null);
            assertThat(r.status()).as(probe + ": " + r.body()).isEqualTo(200);
        }
        TestServer.Response m = s.get(dep.at("/spec/template/metadata/annotations/prometheus.io~1path").asText(), null);
        assertThat(m.status()).isEqualTo(200);
        assertThat(m.body()).contains("aura_cascade_risk", "aura_active_requests");
    }

    @Test
    void aServerStartedWithTheRenderedEnvironmentAnswersItsProbes() throws IOException {
        List<JsonNode> docs = render();
        Map<String, String> env = podEnv(docs, SECRETS, "10.0.0.7");
        env.remove("JDK_JAVA_OPTIONS"); // the JVM's, not the server's
        ServerConfig cfg = ServerConfig.fromEnv(env, 8080, tmp, null);
        assertThat(cfg.warnings()).as("the defaults draw no start-up warning").isEmpty();
        assertThat(cfg.policy()).isEqualTo("suggest");
        try (TestServer s = new TestServer(env, tmp.resolve("data"))) {
            assertProbesAndScrapeAnswer(docs, s);
            // the image's HEALTHCHECK command, run as docker would (on this server's port): healthy
            List<String> check = healthCheck();
            String cmdPort = String.valueOf(s.uri("/").getPort());
            assertThat(runs(check.stream().map(a -> a.replace("/8080", "/" + cmdPort)).toList())).as("healthy").isZero();
            // and unhealthy when nothing answers there
            String closed = String.valueOf(freePort());
            assertThat(runs(check.stream().map(a -> a.replace("/8080", "/" + closed)).toList())).as("unhealthy").isNotZero();
        }
    }

    /** The exec form of the Dockerfile's HEALTHCHECK CMD. */
    static List<String> healthCheck() throws IOException {
        Matcher m = Pattern.compile("(?m)^HEALTHCHECK .*\\\\\n\\s*CMD (\\[.*])$").matcher(Files.readString(ROOT.resolve("Dockerfile")));
        assertThat(m.find()).as("the Dockerfile has a HEALTHCHECK in exec form").isTrue();
        List<String> cmd = new ArrayList<>();
        YAML.readTree(m.group(1)).forEach(a -> cmd.add(a.asText()));
        return cmd;
    }

    static int runs(List<String> cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            assertThat(p.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)).as("the health check finishes").isTrue();
            return p.exitValue();
        } catch (IOException | InterruptedException e) {
            throw new AssertionError(cmd + " cannot run", e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void twoReplicasRenderedForAClusterFindEachOtherByTheRenderedName() throws Exception {
        Map<String, String> db = TestServer.sharedPostgres("HelmChartTest");
        int port = freePort();
        Map<String, Object> v = new HashMap<>();
        v.put("database", Map.of("url", db.get("AURA_DB_URL"), "user", db.get("AURA_DB_USER"), "schema", db.get("AURA_DB_SCHEMA")));
        v.put("cluster", Map.of("port", port, "name", "aura-helm-" + port));
        v.put("clusterDomain", "aura-test"); // the name then ends in TestDns's suffix
        List<JsonNode> docs = render(PRODUCTION, values(v));
        Map<String, String> e1 = podEnv(docs, SECRETS, "127.0.0.1");
        Map<String, String> e2 = podEnv(docs, SECRETS, "127.0.0.2");
        e1.remove("JDK_JAVA_OPTIONS");
        e2.remove("JDK_JAVA_OPTIONS");
        String name = e1.get("AURA_CLUSTER_DNS");
        assertThat(name).isEqualTo("aura-cluster.aura-intelligence.svc.aura-test");
        TestDns.register(name, InetAddress.getByAddress(name, new byte[] {127, 0, 0, 1}), InetAddress.getByAddress(name, new byte[] {127, 0, 0, 2}));
        try (TestServer one = new TestServer(e1, tmp.resolve("one")); TestServer two = new TestServer(e2, tmp.resolve("two"))) {
            assertThat(one.awaitMembers(2)).isEqualTo(2);
            assertThat(two.get("/health", null).json().at("/checks/cluster/members").asInt()).isEqualTo(2);
            assertProbesAndScrapeAnswer(docs, one);
            assertProbesAndScrapeAnswer(docs, two);
        } finally {
            TestDns.register(name);
            TestServer.dropSchema(db);
        }
    }

    /**
     * deploy/kubernetes/aura-deployment.yaml (for {@code kubectl apply} without Helm) is the chart
     * rendered with values-production.yaml. After a change to the chart:
     * {@code ./mvnw -pl aura-server test -Dtest=HelmChartTest -Daura.regenerate=true}.
     */
    @Test
    void theCommittedManifestsAreTheChartRendered() throws IOException {
        String header = "# The Helm chart deploy/helm/aura rendered with values-production.yaml, release aura, namespace\n"
                + "# aura-intelligence (HelmChartTest keeps them equal). Apply after the Secret aura-secrets exists:\n"
                + "#   kubectl create namespace aura-intelligence\n"
                + "#   kubectl create secret generic aura-secrets -n aura-intelligence --from-literal=JWT_SECRET=\"$(openssl rand -base64 48)\"\n"
                + "#   kubectl apply -f deploy/kubernetes/aura-deployment.yaml\n"
                + "# Edit database.url in the ConfigMap aura-config first (jdbc:postgresql://postgres:5432/aura here).\n";
        String rendered = header + template().withValuesFile(PRODUCTION).call().replaceAll("(?m)[ \\t]+$", "");
        if (Boolean.getBoolean("aura.regenerate")) {
            Files.createDirectories(MANIFESTS.getParent());
            Files.writeString(MANIFESTS, rendered, StandardCharsets.UTF_8);
        }
        assertThat(Files.readString(MANIFESTS)).as("deploy/kubernetes/aura-deployment.yaml is stale: rerun with -Daura.regenerate=true")
                .isEqualTo(rendered);
    }

    @Test
    void theDockerfileRunsWhatTheChartExpects() throws IOException {
        String df = Files.readString(ROOT.resolve("Dockerfile"));
        JsonNode c = render().stream().filter(d -> d.path("kind").asText().equals("Deployment")).findFirst().orElseThrow()
                .at("/spec/template/spec");
        // the image's user is the pod's, its default command the chart's, its ports the chart's
        assertThat(df).contains("USER " + c.at("/securityContext/runAsUser").asText() + ":" + c.at("/securityContext/runAsGroup").asText());
        Matcher cmd = Pattern.compile("(?m)^CMD (\\[.*])$").matcher(df);
        assertThat(cmd.find()).isTrue();
        assertThat(YAML.readTree(cmd.group(1))).isEqualTo(c.at("/containers/0/args"));
        assertThat(df).contains("EXPOSE 8080 5701");
        // its HEALTHCHECK asks the liveness path on the port of its default command
        String check = String.join(" ", healthCheck());
        JsonNode live = c.at("/containers/0/livenessProbe/httpGet");
        assertThat(check).contains("GET " + live.path("path").asText() + " ", "/dev/tcp/127.0.0.1/" + YAML.readTree(cmd.group(1)).get(2).asText() + " ");
        // it copies the jar the build makes (aura-cli's finalName) and the launcher runs
        assertThat(df).contains("COPY --from=build /src/aura-cli/target/aura.jar /opt/aura/aura.jar");
        assertThat(Files.readString(ROOT.resolve("aura-cli/pom.xml"))).contains("<finalName>aura</finalName>");
        assertThat(Files.readString(ROOT.resolve("aura"))).contains("JAR=\"$ROOT/aura-cli/target/aura.jar\"");
        ObjectNode values = (ObjectNode) YAML.readTree(CHART.resolve("values.yaml").toFile());
        assertThat(df).contains("ENV JDK_JAVA_OPTIONS=\"" + values.path("javaOpts").asText() + "\"");
    }

    /** A Kubernetes memory quantity in bytes (binary suffixes Ki..Ti, decimal k..T, or plain bytes). */
    static long quantity(String q) {
        Matcher m = Pattern.compile("([0-9]+)(Ki|Mi|Gi|Ti|k|M|G|T)?").matcher(q);
        assertThat(m.matches()).as("memory quantity " + q).isTrue();
        long n = Long.parseLong(m.group(1));
        String u = m.group(2) == null ? "" : m.group(2);
        return n * switch (u) {
            case "Ki" -> 1L << 10;
            case "Mi" -> 1L << 20;
            case "Gi" -> 1L << 30;
            case "Ti" -> 1L << 40;
            case "k" -> 1_000L;
            case "M" -> 1_000_000L;
            case "G" -> 1_000_000_000L;
            case "T" -> 1_000_000_000_000L;
            default -> 1L;
        };
    }
}
