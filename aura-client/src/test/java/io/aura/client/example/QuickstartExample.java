package io.aura.client.example;

import io.aura.client.AgentConnection;
import io.aura.client.AgentSession;
import io.aura.client.AuraClient;
import io.aura.client.AuraException;
import io.aura.client.Credential;
import io.aura.client.Enrolment;
import io.aura.client.RefusedException;
import io.aura.client.Telemetry;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** The quickstart of docs/client.md, word for word between the markers; QuickstartExampleTest runs it. */
public final class QuickstartExample {

    private QuickstartExample() {
    }

    /** Returns what the worker printed, for the test. */
    public static String run(String url, String enrolmentKey) throws InterruptedException {
        StringBuffer out = new StringBuffer();
        // --- docs/client.md quickstart
        AuraClient aura = AuraClient.create(url);
        Credential key = Credential.enrolmentKey(enrolmentKey);
        CountDownLatch results = new CountDownLatch(2);

        // the worker answers every task; a session renews its token and reconnects by itself
        try (AgentSession worker = AgentSession.open(aura, key, Enrolment.of("worker"), (conn, m) -> {
                 out.append(m.fromAgent() + " asks " + m.payload() + "\n");   // one append: a whole line
                 conn.send(m.fromAgent(), "result", Map.of("task", m.payload().path("id").asInt(), "ok", true));
             });
             AgentConnection planner = aura.connect(aura.enrol(key, Enrolment.of("planner")),
                 (conn, m) -> {
                     out.append("planner got " + m.type() + " " + m.payload() + "\n");
                     results.countDown();
                 })) {

            planner.sendAndWait("worker", "task", Map.of("id", 42));   // acknowledged once delivered
            worker.report(Telemetry.EMPTY.withCpuUtilisation(0.35).withQueueLength(2).withLatencyMs(12, 30, 55));

            try {
                planner.sendAndWait("worker", "task", Map.of("id", 43));
            } catch (RefusedException e) {       // circuit_open, isolated, rate_limited, load_shed
                System.out.println("refused by " + e.interventionId() + ", retry in " + e.retryAfter());
            } catch (AuraException e) {          // agent_offline, invalid_request, connection_closed, ...
                System.out.println(e.error() + ": " + e.getMessage());
            }
            results.await(5, TimeUnit.SECONDS);  // both results back before closing
        }
        // --- end
        return out.toString();
    }
}
