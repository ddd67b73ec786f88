package io.aura.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * In a cluster too, a newer connection of an agent replaces the older one, whichever replica each is
 * on: both stayed open, so one token held a socket on every replica, and since a rate limit is a
 * bucket on the sender's replica, the agent sent at the limit times the replica count (28 messages
 * where a rate of 5/s allowed 15 in 2 s, with two replicas). Real HTTP/WebSocket, two replicas on the
 * PostgreSQL of AURA_TEST_POSTGRES_URL (skipped without it, as ClusterTest).
 */
class ClusterReplaceTest {

    @TempDir
    Path tmp;

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static String enrol(TestServer s, String agentId) {
        return s.post("/a2a/auth/agent", s.token("enrol"), "{\"agent_id\":\"" + agentId + "\"}").json().path("token").asText();
    }

    private static URI bus(TestServer s, String agentId) {
        return URI.create("ws://127.0.0.1:" + s.server.port() + "/ws/a2a/" + agentId);
    }

    /**
     * Sends a message that the sender's replica hands to another replica and returns its ack. The hand-over
     * may take up to ClusterBus.FORWARD_TIMEOUT_MS twice (the directory read, then the delivery) when
     * Hazelcast stalls, and then answers agent_offline: a CI run once waited more than 5 s for the answer
     * (the test then read frames for 5 s only; the hand-over takes about 50 ms otherwise). So the answer is
     * awaited for 15 s, and an agent_offline is printed and the message sent again (twice at most): the
     * test is about which connection receives, not about Hazelcast's latency.
     */
    private static com.fasterxml.jackson.databind.JsonNode sendAcrossReplicas(WsClient p, String msg) {
        for (int attempt = 0; ; attempt++) {
            long t0 = System.nanoTime();
            p.send(msg);
            com.fasterxml.jackson.databind.JsonNode answer = p.next(15);
            long ms = (System.nanoTime() - t0) / 1_000_000;
            if (ms > 1_000) {
                System.err.println("ClusterReplaceTest: the hand-over across replicas took " + ms + " ms: " + answer);
            }
            if (answer.path("type").asText().equals("error") && answer.path("error").asText().equals("agent_offline") && attempt < 2) {
                System.err.println("ClusterReplaceTest: agent_offline after " + ms + " ms, sending again");
                continue;
            }
            assertThat(answer.path("type").asText()).as("answer " + answer).isEqualTo("ack");
            return answer;
        }
    }

    @Test
    void aNewerConnectionOnAnotherReplicaReplacesTheOlder() throws Exception {
        Map<String, String> db = TestServer.sharedPostgres("ClusterReplaceTest");
        int p1 = freePort();
        int p2 = freePort();
        Map<String, String> e1 = new HashMap<>(db);
        e1.putAll(Map.of("AURA_CLUSTER_MEMBERS", "127.0.0.1:" + p1 + ",127.0.0.1:" + p2, "AURA_CLUSTER_PORT", String.valueOf(p1),
                "AURA_CLUSTER_HOST", "127.0.0.1", "AURA_CLUSTER_NAME", "aura-replace-" + p1));
        Map<String, String> e2 = new HashMap<>(e1);
        e2.put("AURA_CLUSTER_PORT", String.valueOf(p2));
        try (TestServer one = new TestServer(e1, tmp.resolve("one")); TestServer two = new TestServer(e2, tmp.resolve("two"))) {
            assertThat(one.awaitMembers(2)).isEqualTo(2);
            String dup = enrol(one, "rp_dup");
            String peer = enrol(one, "rp_peer");
            try (WsClient first = new WsClient(bus(one, "rp_dup"), dup); WsClient p = new WsClient(bus(one, "rp_peer"), peer)) {
                first.nextOf("connected");
                p.nextOf("connected");
                try (WsClient second = new WsClient(bus(two, "rp_dup"), dup)) {
                    second.nextOf("connected");
                    assertThat(first.closed.get(5, TimeUnit.SECONDS)).as("the older connection, on the other replica").isEqualTo(4000);
                    // messages to the agent now reach the newer connection, across the replicas
                    Thread.sleep(200);
                    assertThat(sendAcrossReplicas(p, "{\"to_agent\":\"rp_dup\",\"type\":\"task\",\"payload\":{\"n\":1}}")
                            .path("to_agent").asText()).isEqualTo("rp_dup");
                    assertThat(second.nextOf("message").path("from_agent").asText()).isEqualTo("rp_peer");
                    // and back: a third connection on the first replica replaces the second
                    try (WsClient third = new WsClient(bus(one, "rp_dup"), dup)) {
                        third.nextOf("connected");
                        assertThat(second.closed.get(5, TimeUnit.SECONDS)).isEqualTo(4000);
                        Thread.sleep(1_500); // a directory repair (once a second) must not undo it
                        assertThat(third.closed.isDone()).as("the newest connection stays open").isFalse();
                        assertThat(sendAcrossReplicas(p, "{\"to_agent\":\"rp_dup\",\"type\":\"task\",\"payload\":{\"n\":2}}")
                                .path("to_agent").asText()).isEqualTo("rp_dup");
                        assertThat(third.nextOf("message").path("payload").path("n").asInt()).isEqualTo(2);
                    }
                }
            }
        } finally {
            TestServer.dropSchema(db);
        }
    }
}
