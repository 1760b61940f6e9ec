package org.clinical.query.audit;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * One patient's data read by one request: who read it (the token's {@code sub} and roles), in which tenant,
 * through which endpoint (method and route, never the query string: a search's words are PHI), when, under
 * which correlation id, and the {@code X-Purpose-Of-Use} the client declared (null when none).
 */
public record AccessEntry(Instant readAt, String tenantId, UUID patientId, String actor, List<String> roles,
                          String endpoint, String correlationId, String purposeOfUse) {
}
