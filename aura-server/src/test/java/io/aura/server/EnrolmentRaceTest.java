package io.aura.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An enrolment that takes permissions away revokes the agent's earlier tokens even when another
 * enrolment of the agent (a session renewing its token with the same permissions) runs at the same
 * moment: both read the stored enrolment, and the renewal, written second, put the old token
 * generation back, so the tokens the narrowing had revoked connected again (7 of 60 tries against
 * a running server). Whatever the order, the earlier token stays revoked. Real HTTP on H2.
 */
class EnrolmentRaceTest {

    @Test
    void aConcurrentRenewalDoesNotUndoARevocation(@TempDir Path dir) throws Exception {
        try (TestServer s = new TestServer(Map.of(), dir); ExecutorService pool = Executors.newFixedThreadPool(2)) {
            String enrol = s.token("enrol");
            List<String> undone = new ArrayList<>();
            for (int i = 0; i < 60; i++) {
                String id = "race_" + i;
                String body = "{\"agent_id\":\"" + id + "\",\"permissions\":";
                TestServer.Response first = s.post("/a2a/auth/agent", enrol, body + "[\"read\",\"write\"]}");
                String old = first.json().path("token").asText();
                CyclicBarrier together = new CyclicBarrier(2);
                Future<Integer> narrow = pool.submit(() -> {
                    together.await();
                    return s.post("/a2a/auth/agent", enrol, body + "[\"read\"]}").status();
                });
                Future<Integer> renew = pool.submit(() -> {
                    together.await();
                    return s.post("/a2a/auth/agent", enrol, body + "[\"read\",\"write\"]}").status();
                });
                assertThat(narrow.get()).isEqualTo(200);
                assertThat(renew.get()).isEqualTo(200);
                String upgrade = s.upgrade("/ws/a2a/" + id, old);
                if (!upgrade.startsWith("HTTP/1.1 401")) {
                    undone.add(id + ": " + upgrade.lines().findFirst().orElse(""));
                }
            }
            assertThat(undone).as("earlier tokens that connected after a narrowing enrolment").isEmpty();
        }
    }
}
