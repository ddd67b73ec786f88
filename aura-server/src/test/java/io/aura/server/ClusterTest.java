package io.aura.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two replicas as one bus through embedded Hazelcast members on loopback, sharing one PostgreSQL
 * schema (AURA_TEST_POSTGRES_URL; skipped with a printed reason when unset, except in CI, where it
 * fails): a message crosses replicas, an intervention made on one replica is enforced on the other
 * at once, and the agents of a replica that leaves are offline for the rest.
 */
class ClusterTest {

    @TempDir
    Path tmp;

    @Test
    void clusterSettingsNeedASharedDatabaseAndWellFormedMembers() {
        List<String> w = new ArrayList<>();
        assertThat(ServerConfig.cluster(Map.of(), null, w)).isNull();
        ServerConfig.cluster(Map.of("AURA_CLUSTER_PORT", "5801"), null, w);
        assertThat(w).singleElement().asString().contains("AURA_CLUSTER_PORT").contains("no effect");
        assertThatThrownBy(() -> ServerConfig.cluster(Map.of("AURA_CLUSTER_MEMBERS", "a:5701"), null, w))
                .hasMessageContaining("AURA_DB_URL to PostgreSQL");
        String pg = "jdbc:postgresql://db:5432/aura";
        assertThatThrownBy(() -> ServerConfig.cluster(Map.of("AURA_CLUSTER_MEMBERS", "a:5701,b c"), pg, w))
                .hasMessageContaining("host[:port]");
        assertThatThrownBy(() -> ServerConfig.cluster(Map.of("AURA_CLUSTER_MEMBERS", "a", "AURA_CLUSTER_NAME", "x y"), pg, w))
                .hasMessageContaining("AURA_CLUSTER_NAME");
        ServerConfig.Cluster c = ServerConfig.cluster(Map.of("AURA_CLUSTER_MEMBERS", " 10.0.0.5:5701, aura-1.aura "), pg, w);
        assertThat(c.members()).containsExactly("10.0.0.5:5701", "aura-1.aura");
        assertThat(c.port()).isEqualTo(5_701);
        assertThat(c.name()).isEqualTo("aura");
        assertThat(c.dns()).isNull();
        // discovery by DNS (a Kubernetes headless service) instead of a list
        assertThatThrownBy(() -> ServerConfig.cluster(Map.of("AURA_CLUSTER_DNS", "aura-cluster.aura.svc"), null, w))
                .hasMessageContaining("AURA_CLUSTER_DNS needs a database");
        assertThatThrownBy(() -> ServerConfig.cluster(Map.of("AURA_CLUSTER_DNS", "aura-cluster:5701"), pg, w))
                .hasMessageContaining("AURA_CLUSTER_DNS must be a DNS name (no port");
        assertThatThrownBy(() -> ServerConfig.cluster(Map.of("AURA_CLUSTER_DNS", "x", "AURA_CLUSTER_MEMBERS", "a"), pg, w))
                .hasMessageContaining("both set");
        ServerConfig.Cluster d = ServerConfig.cluster(Map.of("AURA_CLUSTER_DNS", " aura-cluster.aura.svc.cluster.local ",
                "AURA_CLUSTER_PORT", "5702"), pg, w);
        assertThat(d.dns()).isEqualTo("aura-cluster.aura.svc.cluster.local");
        assertThat(d.members()).isEmpty();
        assertThat(d.port()).isEqualTo(5_702);
        // IPv6: a bracketed member, and a host written out in full, the form Hazelcast compares
        ServerConfig.Cluster v6 = ServerConfig.cluster(Map.of("AURA_CLUSTER_MEMBERS", "[fd00::5]:5701, [FD00::6]",
                "AURA_CLUSTER_HOST", "fd00::5"), pg, w);
        assertThat(v6.members()).containsExactly("[fd00:0:0:0:0:0:0:5]:5701", "[fd00:0:0:0:0:0:0:6]");
        assertThat(v6.host()).isEqualTo("fd00:0:0:0:0:0:0:5");
        assertThat(ServerConfig.cluster(Map.of("AURA_CLUSTER_MEMBERS", "a", "AURA_CLUSTER_HOST", "[::1]"), pg, w).host())
                .isEqualTo("0:0:0:0:0:0:0:1");
        for (String bad : List.of("fd00::5:5701:x", "fd00::5%eth0", "::ffff:10.0.0.1", "fd00:::5")) {
            assertThatThrownBy(() -> ServerConfig.cluster(Map.of("AURA_CLUSTER_MEMBERS", "a", "AURA_CLUSTER_HOST", bad), pg, w))
                    .as(bad).hasMessageContaining("AURA_CLUSTER_HOST must be");
        }
        assertThatThrownBy(() -> ServerConfig.cluster(Map.of("AURA_CLUSTER_MEMBERS", "[fd00::5"), pg, w))
                .hasMessageContaining("[fd00::5]:5701");
        assertThat(w).hasSize(1); // no new warning
    }

    /**
     * Every replica's prediction loop sees the whole cluster: the calls each replica relays and the
     * reports each holds are summed (ClusterCounters), so an ids-only predict on either replica
     * assesses all four agents, all three call edges and a report made on the other replica; one
     * replica, the oldest, is the leader that applies auto's interventions.
     */
    @Test
    void everyReplicasPredictionLoopSeesTheWholeCluster() throws Exception {
        Map<String, String> db = TestServer.sharedPostgres("ClusterTest");
        int p1 = freePort();
        int p2 = freePort();
        Map<String, String> e1 = new HashMap<>(db);
        e1.putAll(Map.of("AURA_CLUSTER_MEMBERS", "127.0.0.1:" + p1 + ",127.0.0.1:" + p2, "AURA_CLUSTER_PORT", String.valueOf(p1),
                "AURA_CLUSTER_HOST", "127.0.0.1", "AURA_CLUSTER_NAME", "aura-loop-" + p1, "AURA_PREDICTION_INTERVAL_MS", "100",
                "AURA_POLICY", "auto"));
        Map<String, String> e2 = new HashMap<>(e1);
        e2.put("AURA_CLUSTER_PORT", String.valueOf(p2));
        try (TestServer one = new TestServer(e1, tmp.resolve("one")); TestServer two = new TestServer(e2, tmp.resolve("two"))) {
            assertThat(one.awaitMembers(2)).isEqualTo(2);
            // exactly one leader: the oldest member, replica one
            assertThat(one.get("/health", null).json().at("/checks/cluster/leader").asBoolean()).isTrue();
            assertThat(two.get("/health", null).json().at("/checks/cluster/leader").asBoolean()).isFalse();
            String ta = enrol(one, "lp_a");
            String tb = enrol(one, "lp_b");
            String tc = enrol(two, "lp_c");
            String td = enrol(two, "lp_d");
            try (WsClient a = new WsClient(ws(one, "/ws/a2a/lp_a"), ta); WsClient b = new WsClient(ws(one, "/ws/a2a/lp_b"), tb);
                 WsClient c = new WsClient(ws(two, "/ws/a2a/lp_c"), tc); WsClient d = new WsClient(ws(two, "/ws/a2a/lp_d"), td)) {
                for (WsClient w : List.of(a, b, c, d)) {
                    w.nextOf("connected");
                }
                a.send("{\"to_agent\":\"lp_b\",\"type\":\"task\",\"payload\":{}}"); // relayed by one
                assertThat(a.nextOf("ack")).isNotNull();
                a.send("{\"to_agent\":\"lp_d\",\"type\":\"task\",\"payload\":{}}"); // one hands it to two
                assertThat(a.nextOf("ack")).isNotNull();
                c.send("{\"to_agent\":\"lp_d\",\"type\":\"task\",\"payload\":{}}"); // relayed by two
                assertThat(c.nextOf("ack")).isNotNull();
                d.send("{\"type\": \"telemetry\", \"payload\": {\"cpu_utilisation\": 0.4, \"queue_length\": 3}}"); // held by two
                assertThat(d.nextOf("ack")).isNotNull();
                String ids = "{\"agents\": [\"lp_a\", \"lp_b\", \"lp_c\", \"lp_d\"]}";
                for (TestServer s : List.of(one, two)) {
                    JsonNode live = null;
                    for (int i = 0; i < 100; i++) {
                        live = s.post("/api/v1/predict", s.token("analyze"), ids).json().at("/signals/live_telemetry");
                        if (live.path("bus_call_edges").asInt() == 3 && live.path("reporting_agents").asInt() == 1) {
                            break;
                        }
                        Thread.sleep(50);
                    }
                    assertThat(live.path("status").asText()).isEqualTo("live");
                    assertThat(live.path("bus_agents").asInt()).as(live.toString()).isEqualTo(4);
                    assertThat(live.path("bus_call_edges").asInt()).as(live.toString()).isEqualTo(3);
                    assertThat(live.path("reporting_agents").asInt()).as(live.toString()).isEqualTo(1);
                }
                // an A2A task made on one replica is found on the other (the review's reproduction: it was not)
                String op = one.token("read");
                TestServer.Response sent = one.post("/a2a", op, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"message/send\",\"params\":"
                        + "{\"message\":{\"role\":\"user\",\"messageId\":\"m\",\"parts\":[{\"kind\":\"text\",\"text\":\"list_agents\"}]}}}");
                String taskId = sent.json().at("/result/id").asText();
                JsonNode got = two.post("/a2a", op, "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tasks/get\",\"params\":{\"id\":\"" + taskId + "\"}}")
                        .json();
                assertThat(got.at("/result/status/state").asText()).as(got.toString()).isEqualTo("completed");
                assertThat(got.at("/result/artifacts/0/parts/0/data")).isEqualTo(sent.json().at("/result/artifacts/0/parts/0/data"));
                // A2A 1.0's ListTasks on the other replica lists it, and only the caller's (the members filter their entries)
                String other = one.server.tokens().operator("cluster-other", java.util.Set.of("read"), java.time.Duration.ofMinutes(5));
                one.post("/a2a", other, "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"SendMessage\",\"params\":"
                        + "{\"message\":{\"role\":\"ROLE_USER\",\"messageId\":\"m\",\"parts\":[{\"text\":\"list_agents\"}]}}}");
                JsonNode listed = two.post("/a2a", op, "{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"ListTasks\",\"params\":{}}").json();
                assertThat(listed.at("/result/totalSize").asInt()).as(listed.toString()).isEqualTo(1);
                assertThat(listed.at("/result/tasks/0/id").asText()).isEqualTo(taskId);
                assertThat(listed.at("/result/tasks/0/status/state").asText()).isEqualTo("TASK_STATE_COMPLETED");
                // a subject holding a newline does not pass for another caller in the shared map (the A2A review's
                // reproduction: subject "a\n{}" made its tasks read as subject "a"'s, an empty {} task)
                String plainA = one.server.tokens().operator("a", java.util.Set.of("read"), java.time.Duration.ofMinutes(5));
                String trickyA = one.server.tokens().operator("a\n{}", java.util.Set.of("read"), java.time.Duration.ofMinutes(5));
                String tricky = one.post("/a2a", trickyA, "{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"SendMessage\",\"params\":"
                        + "{\"message\":{\"role\":\"ROLE_USER\",\"messageId\":\"m\",\"parts\":[{\"text\":\"list_agents\"}]}}}").json()
                        .at("/result/task/id").asText();
                assertThat(two.post("/a2a", plainA, "{\"jsonrpc\":\"2.0\",\"id\":6,\"method\":\"GetTask\",\"params\":{\"id\":\"" + tricky + "\"}}")
                        .json().at("/error/code").asInt()).isEqualTo(A2aEndpoint.TASK_NOT_FOUND);
                assertThat(two.post("/a2a", plainA, "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"ListTasks\",\"params\":{}}").json()
                        .at("/result/totalSize").asInt()).isZero();
                assertThat(two.post("/a2a", trickyA, "{\"jsonrpc\":\"2.0\",\"id\":8,\"method\":\"GetTask\",\"params\":{\"id\":\"" + tricky + "\"}}")
                        .json().at("/result/status/state").asText()).isEqualTo("TASK_STATE_COMPLETED");
                // the leader gathers from every replica; the other takes the leader's merged counters
                assertThat(RedisCacheTest.metric(one, "aura_cluster_counter_syncs_total{source=\"replicas\"}")).isPositive();
                assertThat(RedisCacheTest.metric(one, "aura_cluster_counter_syncs_total{source=\"leader\"}")).isZero();
                assertThat(RedisCacheTest.metric(two, "aura_cluster_counter_syncs_total{source=\"leader\"}")).isPositive();
            }
        } finally {
            TestServer.dropSchema(db);
        }
    }

    /**
     * Hazelcast's Kubernetes discovery by DNS, as the Helm chart configures it: both replicas are
     * given one name, which resolves (TestDns) to two loopback addresses, as a headless service's
     * name resolves to its pods, and listen on the same port, each on its own address.
     */
    @Test
    void replicasFindEachOtherByOneDnsName() throws Exception {
        Map<String, String> db = TestServer.sharedPostgres("ClusterTest");
        int port = freePort();
        String name = "aura-cluster-" + port + TestDns.SUFFIX;
        TestDns.register(name, java.net.InetAddress.getByAddress(name, new byte[] {127, 0, 0, 1}),
                java.net.InetAddress.getByAddress(name, new byte[] {127, 0, 0, 2}));
        Map<String, String> e1 = new HashMap<>(db);
        e1.putAll(Map.of("AURA_CLUSTER_DNS", name, "AURA_CLUSTER_PORT", String.valueOf(port), "AURA_CLUSTER_HOST", "127.0.0.1",
                "AURA_CLUSTER_NAME", "aura-dns-" + port));
        Map<String, String> e2 = new HashMap<>(e1);
        e2.put("AURA_CLUSTER_HOST", "127.0.0.2");
        try (TestServer one = new TestServer(e1, tmp.resolve("one")); TestServer two = new TestServer(e2, tmp.resolve("two"))) {
            assertThat(one.awaitMembers(2)).isEqualTo(2);
            assertThat(two.get("/health", null).json().at("/checks/cluster/members").asInt()).isEqualTo(2);
            assertRelayedAcross(one, two, "dns_sender", "dns_receiver");
            // enrolled again with fewer permissions on one replica: its connection to the other is closed
            String wide = enrol(two, "dns_narrowed");
            try (WsClient c = new WsClient(ws(two, "/ws/a2a/dns_narrowed"), wide)) {
                c.nextOf("connected");
                TestServer.Response r = one.post("/a2a/auth/agent", one.token("enrol"),
                        "{\"agent_id\":\"dns_narrowed\",\"permissions\":[\"read\"]}");
                assertThat(r.status()).as(r.body()).isEqualTo(200);
                assertThat(c.closed.get(10, java.util.concurrent.TimeUnit.SECONDS)).as("closed on the other replica").isEqualTo(4003);
            }
        } finally {
            TestDns.register(name);
            TestServer.dropSchema(db);
        }
    }

    /**
     * An IPv6-only cluster (an IPv6 Kubernetes cluster's pod IPs): AURA_CLUSTER_HOST is the IPv6
     * loopback in its short form and the members are bracketed; a message crosses the replicas.
     */
    @Test
    void replicasFormAClusterOverIpv6() throws Exception {
        java.net.InetAddress loop6 = java.net.InetAddress.getByName("::1");
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0, 1, loop6)) {
            probe.getLocalPort();
        } catch (java.io.IOException e) {
            org.junit.jupiter.api.Assumptions.abort("this machine has no IPv6 loopback (" + e + ")");
        }
        Map<String, String> db = TestServer.sharedPostgres("ClusterTest");
        List<Map<String, String>> env = twoReplicas(db, "::1", "[::1]:%d,[0:0:0:0:0:0:0:1]:%d", "aura-v6-");
        Map<String, String> e1 = env.get(0);
        Map<String, String> e2 = env.get(1);
        try (TestServer one = new TestServer(e1, tmp.resolve("one")); TestServer two = new TestServer(e2, tmp.resolve("two"))) {
            assertThat(one.awaitMembers(2)).isEqualTo(2);
            assertRelayedAcross(one, two, "v6_sender", "v6_receiver");
        } finally {
            TestServer.dropSchema(db);
        }
    }

    /**
     * A non-blocking A2A task runs on the replica that took it: the other replica sees it working and
     * cancels it there (its analysis stops; a second cancel is −32002), and a task left running ends
     * failed (shutting_down) for the replica left when its replica stops.
     */
    @Test
    void aBackgroundTaskIsCanceledFromAnyReplicaAndEndsFailedWhenItsReplicaStops() throws Exception {
        Map<String, String> db = TestServer.sharedPostgres("ClusterTest");
        List<Map<String, String>> env = twoReplicas(db, "127.0.0.1", "127.0.0.1:%d,127.0.0.1:%d", "aura-task-");
        TestServer one = new TestServer(env.get(0), tmp.resolve("one"));
        boolean oneClosed = false;
        try (TestServer two = new TestServer(env.get(1), tmp.resolve("two"))) {
            assertThat(one.awaitMembers(2)).isEqualTo(2);
            String op = one.token("analyze", "read");
            JsonNode sent = one.post("/a2a", op, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"message/send\",\"params\":"
                    + "{\"configuration\":{\"blocking\":false},\"message\":{\"role\":\"user\",\"messageId\":\"m\",\"parts\":"
                    + "[{\"kind\":\"data\",\"data\":{\"skill\":\"analyze_topology\",\"arguments\":{\"topology_data\":"
                    + LimitsTest.heavyCloud(new java.util.Random()) + ",\"parameters\":{\"max_dimension\":2}}}}]}}}").json();
            assertThat(sent.at("/result/status/state").asText()).as(sent.toString()).isEqualTo("working");
            String get = "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tasks/get\",\"params\":{\"id\":\"" + sent.at("/result/id").asText() + "\"}}";
            assertThat(two.post("/a2a", op, get).json().at("/result/status/state").asText()).isEqualTo("working");
            // canceled from the other replica: asked over the cluster, it ends canceled and its analysis stops
            JsonNode cancel = two.post("/a2a", op, get.replace("tasks/get", "tasks/cancel")).json();
            assertThat(cancel.at("/result/status/state").asText()).as(cancel.toString()).isEqualTo("canceled");
            assertThat(one.post("/a2a", op, get).json().at("/result/status/state").asText()).isEqualTo("canceled");
            assertThat(LimitsTest.computingAfter3s()).as("threads still computing persistence 3 s after the cancel").isNull();
            JsonNode again = two.post("/a2a", op, get.replace("tasks/get", "tasks/cancel")).json();
            assertThat(again.at("/error/code").asInt()).as(again.toString()).isEqualTo(A2aEndpoint.TASK_NOT_CANCELABLE);
            assertThat(again.at("/error/message").asText()).endsWith("is canceled");
            // a second task, left running: the replica's shutdown ends it failed
            sent = one.post("/a2a", op, "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"message/send\",\"params\":"
                    + "{\"configuration\":{\"blocking\":false},\"message\":{\"role\":\"user\",\"messageId\":\"m2\",\"parts\":"
                    + "[{\"kind\":\"data\",\"data\":{\"skill\":\"analyze_topology\",\"arguments\":{\"topology_data\":"
                    + LimitsTest.heavyCloud(new java.util.Random()) + ",\"parameters\":{\"max_dimension\":2}}}}]}}}").json();
            assertThat(sent.at("/result/status/state").asText()).as(sent.toString()).isEqualTo("working");
            get = "{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"tasks/get\",\"params\":{\"id\":\"" + sent.at("/result/id").asText() + "\"}}";
            one.close();
            oneClosed = true;
            JsonNode ended = two.post("/a2a", op, get).json().path("result");
            assertThat(ended.at("/status/state").asText()).as(ended.toString()).isEqualTo("failed");
            assertThat(ended.at("/status/message/parts/1/data/error").asText()).isEqualTo("shutting_down");
        } finally {
            if (!oneClosed) {
                one.close();
            }
            TestServer.dropSchema(db);
        }
    }

    /**
     * The environments of two replicas on {@code host}, each on a free cluster port, with the shared
     * database {@code db}; {@code members} formats the two ports into AURA_CLUSTER_MEMBERS.
     */
    private static List<Map<String, String>> twoReplicas(Map<String, String> db, String host, String members, String name) throws Exception {
        int p1 = freePort();
        int p2 = freePort();
        Map<String, String> e1 = new HashMap<>(db);
        e1.putAll(Map.of("AURA_CLUSTER_MEMBERS", String.format(members, p1, p2), "AURA_CLUSTER_PORT", String.valueOf(p1),
                "AURA_CLUSTER_HOST", host, "AURA_CLUSTER_NAME", name + p1));
        Map<String, String> e2 = new HashMap<>(e1);
        e2.put("AURA_CLUSTER_PORT", String.valueOf(p2));
        return List.of(e1, e2);
    }

    /** An agent on {@code one} sends to an agent on {@code two}: acknowledged, and relayed as sent. */
    private static void assertRelayedAcross(TestServer one, TestServer two, String sender, String receiver) throws Exception {
        String a = enrol(one, sender);
        String b = enrol(two, receiver);
        try (WsClient snd = new WsClient(ws(one, "/ws/a2a/" + sender), a); WsClient rcv = new WsClient(ws(two, "/ws/a2a/" + receiver), b)) {
            snd.nextOf("connected");
            rcv.nextOf("connected");
            Thread.sleep(200);
            snd.send("{\"to_agent\":\"" + receiver + "\",\"type\":\"task\",\"payload\":{\"n\":7}}");
            assertThat(snd.nextOf("ack").path("to_agent").asText()).isEqualTo(receiver);
            assertThat(relayed(rcv)).contains("\"from_agent\":\"" + sender + "\"", "\"payload\":{\"n\":7}");
        }
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static String enrol(TestServer s, String agentId) {
        TestServer.Response r = s.post("/a2a/auth/agent", s.token("enrol"), ServerSuite.SEED_ENROL.replace("predictor_001", agentId));
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json().path("token").asText();
    }

    private static URI ws(TestServer s, String path) {
        return URI.create("ws://127.0.0.1:" + s.server.port() + path);
    }

    private static String relayed(WsClient c) throws InterruptedException {
        for (int i = 0; i < 20; i++) {
            String t = c.received.poll(5, TimeUnit.SECONDS);
            if (t == null || t.contains("\"type\":\"message\"")) {
                return t;
            }
        }
        return null;
    }

    @Test
    void twoReplicasAreOneBus() throws Exception {
        Map<String, String> db = TestServer.sharedPostgres("ClusterTest"); // one schema for both
        int p1 = freePort();
        int p2 = freePort();
        String members = "127.0.0.1:" + p1 + ",127.0.0.1:" + p2;
        Map<String, String> e1 = new HashMap<>(db);
        e1.putAll(Map.of("AURA_CLUSTER_MEMBERS", members, "AURA_CLUSTER_PORT", String.valueOf(p1), "AURA_CLUSTER_HOST", "127.0.0.1",
                "AURA_CLUSTER_NAME", "aura-test-" + p1));
        Map<String, String> e2 = new HashMap<>(e1);
        e2.put("AURA_CLUSTER_PORT", String.valueOf(p2));
        try (TestServer one = new TestServer(e1, tmp.resolve("one"))) {
            TestServer two = new TestServer(e2, tmp.resolve("two"));
            try {
                assertThat(one.awaitMembers(2)).isEqualTo(2);
                assertThat(two.get("/health", null).json().at("/checks/cluster/kind").asText()).isEqualTo("hazelcast");

                String a = enrol(one, "cl_sender");
                String b = enrol(two, "cl_receiver"); // enrolled on the other replica: the database is shared
                try (WsClient snd = new WsClient(ws(one, "/ws/a2a/cl_sender"), a);
                     WsClient rcv = new WsClient(ws(two, "/ws/a2a/cl_receiver"), b)) {
                    Thread.sleep(200);
                    snd.send("{\"to_agent\":\"cl_receiver\",\"type\":\"task\",\"payload\":{\"n\":1}}");
                    JsonNode ack = snd.nextOf("ack");
                    assertThat(ack.path("to_agent").asText()).isEqualTo("cl_receiver");
                    String frame = relayed(rcv);
                    assertThat(frame).contains("\"from_agent\":\"cl_sender\"", "\"message_type\":\"task\"", "\"payload\":{\"n\":1}",
                            "\"id\":\"" + ack.path("id").asText() + "\"");
                    assertThat(one.get("/metrics", null).body()).contains("aura_agent_messages_total{outcome=\"forwarded\"} 1.0");
                    assertThat(two.get("/metrics", null).body()).contains("aura_agent_messages_total{outcome=\"delivered_from_peer\"} 1.0");
                    DeployAssets.assertExported(one, "aura_cluster_"); // what the dashboard and the alert rules query
                    // any replica answers for the whole bus: who is online where, and the calls each replica saw
                    JsonNode agents = one.get("/api/v1/agents", one.token("read")).json();
                    for (JsonNode ag : agents.path("agents")) {
                        if (ag.path("agent_id").asText().startsWith("cl_")) {
                            assertThat(ag.path("online").asBoolean()).as(ag.toString()).isTrue();
                        }
                    }
                    JsonNode topo = two.get("/api/v1/topology", two.token("read")).json();
                    assertThat(topo.path("online_agents").toString()).contains("cl_sender", "cl_receiver");
                    assertThat(topo.path("edges")).anySatisfy(ed -> {
                        assertThat(ed.path("from").asText()).isEqualTo("cl_sender"); // kept by replica one
                        assertThat(ed.path("to").asText()).isEqualTo("cl_receiver");
                        assertThat(ed.path("messages").asLong()).isEqualTo(1);
                    });

                    // an isolation made on replica two is enforced by replica one, well before its 1-s reload
                    TestServer.Response iv = two.post("/api/v1/intervene", two.token("intervene"),
                            "{\"agents\": [\"cl_receiver\"], \"intervention_type\": \"isolate\", \"parameters\": {\"duration\": 60}}");
                    assertThat(iv.status()).as(iv.body()).isEqualTo(201);
                    long t0 = System.nanoTime();
                    JsonNode refused = null;
                    while (refused == null && System.nanoTime() - t0 < 900_000_000L) {
                        snd.send("{\"to_agent\":\"cl_receiver\",\"type\":\"task\",\"payload\":{}}");
                        JsonNode r = snd.next();
                        if (r.path("type").asText().equals("error")) {
                            refused = r;
                        } else {
                            assertThat(relayed(rcv)).isNotNull(); // delivered before the announcement arrived
                        }
                    }
                    assertThat(refused).as("refused within 0.9 s").isNotNull();
                    assertThat(refused.path("error").asText()).isEqualTo("isolated");
                    // announced, not merely the 1-s reload: one replica reloaded on two's message, two not on its own
                    assertThat(RedisCacheTest.metric(one, "aura_cluster_intervention_reloads_total")).isEqualTo(1);
                    assertThat(RedisCacheTest.metric(two, "aura_cluster_intervention_reloads_total")).isZero();
                    TestServer.Response revoked = one.delete("/api/v1/interventions/" + iv.json().path("id").asText(), one.token("intervene"));
                    assertThat(revoked.status()).isEqualTo(200);
                    Thread.sleep(300);
                    snd.send("{\"to_agent\":\"cl_receiver\",\"type\":\"task\",\"payload\":{\"n\":2}}");
                    assertThat(snd.nextOf("ack")).isNotNull();
                    assertThat(relayed(rcv)).contains("\"payload\":{\"n\":2}");
                }

                // replica two leaves: its agents are offline for replica one
                String c = enrol(two, "cl_leaver");
                try (WsClient snd = new WsClient(ws(one, "/ws/a2a/cl_sender"), a);
                     WsClient leaver = new WsClient(ws(two, "/ws/a2a/cl_leaver"), c)) {
                    Thread.sleep(200);
                    snd.send("{\"to_agent\":\"cl_leaver\",\"type\":\"task\",\"payload\":{}}");
                    assertThat(snd.nextOf("ack")).isNotNull();
                    assertThat(relayed(leaver)).isNotNull();
                    two.close();
                    two = null;
                    for (int i = 0; i < 200 && one.get("/health", null).json().at("/checks/cluster/members").asInt() > 1; i++) {
                        Thread.sleep(50);
                    }
                    snd.send("{\"to_agent\":\"cl_leaver\",\"type\":\"task\",\"payload\":{}}");
                    JsonNode offline = snd.nextOf("error");
                    assertThat(offline.path("error").asText()).isEqualTo("agent_offline");
                }
            } finally {
                if (two != null) {
                    two.close();
                }
            }
        } finally {
            TestServer.dropSchema(db);
        }
    }
}
