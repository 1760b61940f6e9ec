package org.clinical.command.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import org.clinical.infra.web.RecordVersion;

/**
 * The answer to an accepted command, as it is remembered for its {@code Idempotency-Key}.
 *
 * @param position the tenant stream position of the command's last event ({@code X-Event-Position})
 * @param version  the version of the changed resource ({@code ETag}), or null
 */
public record CommandResponse(int status, JsonNode body, long position, RecordVersion version) {
}
