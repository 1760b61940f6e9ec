package org.clinical.command.gateway;

/**
 * Who sends a command, for which tenant, within which request.
 *
 * @param idempotencyKey the client's {@code Idempotency-Key}, or null
 * @param requestHash    a digest of what the key stands for (method, path and body)
 */
public record CommandContext(String tenant, String actor, String correlationId, String idempotencyKey,
                             String requestHash) {
}
