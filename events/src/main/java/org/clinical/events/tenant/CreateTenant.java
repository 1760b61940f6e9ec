package org.clinical.events.tenant;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.time.Instant;

public record CreateTenant(@TargetAggregateIdentifier String tenantId, String name, String region, Instant createdAt) {
}
