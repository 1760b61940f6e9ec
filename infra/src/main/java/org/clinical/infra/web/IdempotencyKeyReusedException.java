package org.clinical.infra.web;

/** The same {@code Idempotency-Key} was sent with a different request: answered 422. */
public class IdempotencyKeyReusedException extends RuntimeException {

    public IdempotencyKeyReusedException(String key) {
        super("Idempotency-Key '" + key + "' was already used for a different request", null, false, false);
    }
}
