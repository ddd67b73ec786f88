package io.aura.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.a2a.client.transport.jsonrpc.JSONRPCTransport;
import io.a2a.client.transport.spi.interceptors.ClientCallContext;
import io.a2a.spec.AgentCard;
import io.a2a.spec.DataPart;
import io.a2a.spec.EventKind;
import io.a2a.spec.Message;
import io.a2a.spec.MessageSendConfiguration;
import io.a2a.spec.MessageSendParams;
import io.a2a.spec.StreamingEventKind;
import io.a2a.spec.Task;
import io.a2a.spec.TaskArtifactUpdateEvent;
import io.a2a.spec.TaskIdParams;
import io.a2a.spec.TaskQueryParams;
import io.a2a.spec.TaskState;
import io.a2a.spec.TaskStatusUpdateEvent;
import io.a2a.spec.TextPart;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * AURA's A2A 0.3 agent driven by the A2A project's Java SDK (its JSON-RPC client transport and its
 * own types), as another team's agent would: the card, a blocking send, a streamed one, a task read
 * back, a non-blocking send, and the SDK's errors for a missing task and an ended one.
 */
class A2aSdkTest {

    static Message message(io.a2a.spec.Part<?> part) {
        return new Message.Builder().role(Message.Role.USER).parts(List.of(part)).messageId(UUID.randomUUID().toString()).build();
    }

    static DataPart skill(String name, Map<String, Object> arguments) {
        return new DataPart(Map.of("skill", name, "arguments", arguments));
    }

    static final Map<String, Object> SQUARE = Map.of("topology_data", List.of(List.of(0, 0), List.of(1, 0), List.of(0, 1), List.of(1, 1)));

    @Test
    void theA2aJavaSdkClientRunsTheSkills(@TempDir Path dir) throws Exception {
        try (TestServer s = new TestServer(Map.of(), dir)) {
            String base = "http://127.0.0.1:" + s.server.port();
            ClientCallContext auth = new ClientCallContext(Map.of(), Map.of("Authorization", "Bearer " + s.token("analyze", "read")));
            JSONRPCTransport t = new JSONRPCTransport(base + "/a2a");
            try {
                AgentCard card = io.a2a.A2A.getAgentCard(base);
                assertThat(card.url()).isEqualTo(base + "/a2a");
                assertThat(card.capabilities().streaming()).isTrue();
                assertThat(card.skills()).extracting(io.a2a.spec.AgentSkill::id).contains("analyze_topology", "predict_cascade", "list_agents");

                EventKind sent = t.sendMessage(new MessageSendParams(message(skill("analyze_topology", SQUARE)), null, null), auth);
                Task task = (Task) sent;
                assertThat(task.getStatus().state()).isEqualTo(TaskState.COMPLETED);
                DataPart out = (DataPart) task.getArtifacts().get(0).parts().get(0);
                assertThat(out.getData()).containsKeys("betti_numbers", "diagrams");

                Task read = t.getTask(new TaskQueryParams(task.getId(), 0), auth);
                assertThat(read.getId()).isEqualTo(task.getId());
                assertThat(read.getStatus().state()).isEqualTo(TaskState.COMPLETED);

                Task failed = (Task) t.sendMessage(new MessageSendParams(message(skill("analyze_topology", Map.of("topology_data", "nope"))),
                        null, null), auth);
                assertThat(failed.getStatus().state()).isEqualTo(TaskState.FAILED);
                assertThat(((TextPart) failed.getStatus().message().getParts().get(0)).getText()).contains("topology_data");

                List<StreamingEventKind> events = new CopyOnWriteArrayList<>();
                CompletableFuture<Throwable> streamError = new CompletableFuture<>();
                t.sendMessageStreaming(new MessageSendParams(message(new TextPart("list_agents")), null, null), events::add,
                        streamError::complete, auth);
                long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                while (events.stream().noneMatch(e -> e instanceof TaskStatusUpdateEvent u && u.isFinal()) && System.nanoTime() < end) {
                    Thread.sleep(20);
                }
                // (the SDK may report its own cancel of the request after the final event: only events count)
                assertThat(events).as("stream error: %s", streamError.getNow(null))
                        .anySatisfy(e -> assertThat(e).isInstanceOf(TaskStatusUpdateEvent.class));
                assertThat(events.get(0)).isInstanceOf(Task.class);
                assertThat(events).anySatisfy(e -> assertThat(e).isInstanceOf(TaskArtifactUpdateEvent.class));
                TaskStatusUpdateEvent last = (TaskStatusUpdateEvent) events.get(events.size() - 1);
                assertThat(last.getStatus().state()).isEqualTo(TaskState.COMPLETED);

                Task working = (Task) t.sendMessage(new MessageSendParams(message(skill("analyze_topology", SQUARE)),
                        new MessageSendConfiguration.Builder().blocking(false).build(), null), auth);
                assertThat(working.getStatus().state()).isIn(TaskState.WORKING, TaskState.COMPLETED);

                assertThatThrownBy(() -> t.getTask(new TaskQueryParams("no-such-task"), auth)).hasMessageContaining("no-such-task");
                assertThatThrownBy(() -> t.cancelTask(new TaskIdParams(task.getId()), auth)).hasMessageContaining("cannot be canceled");
            } finally {
                t.close();
            }
        }
    }
}
