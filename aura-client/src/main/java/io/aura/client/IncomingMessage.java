package io.aura.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * A message another agent sent to this one.
 *
 * @param id the bus's message id
 * @param fromAgent the sender, as the bus authenticated it
 * @param type the sender's message type; {@code error} means the sender answers one of this agent's
 *     calls with a failure (the bus counts it against the edge)
 * @param payload the payload as sent (numbers keep their digits); a JSON null if none
 * @param sentAt when the bus relayed it
 */
public record IncomingMessage(String id, String fromAgent, String type, JsonNode payload, Instant sentAt) {
}
