package io.aura.client;

/**
 * The server's acknowledgement of a sent message: it passed every intervention and was handed to
 * the target's connection (on this replica or another).
 *
 * @param id the message id the target received
 * @param toAgent the target
 */
public record Delivery(String id, String toAgent) {
}
