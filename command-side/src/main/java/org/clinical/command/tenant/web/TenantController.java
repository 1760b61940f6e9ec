package org.clinical.command.tenant.web;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.clinical.command.web.CommandEndpoint;
import org.clinical.command.web.CommandEndpoint.Answer;
import org.clinical.command.web.EdgeClock;
import org.clinical.infra.eventstore.CommandReceipt;
import org.clinical.command.web.Limits;
import org.clinical.command.web.Line;
import org.clinical.events.common.ErrorCode;
import org.clinical.events.common.RuleViolation;
import org.clinical.events.tenant.CreateTenant;
import org.clinical.infra.region.Regions;
import org.clinical.infra.security.Caller;
import org.clinical.infra.security.TenantAccess;
import org.clinical.infra.tenant.Tenant;
import org.clinical.infra.tenant.TenantActivation;
import org.clinical.infra.tenant.TenantClaims;
import org.clinical.infra.tenant.TenantRegistry;
import org.clinical.infra.tenant.UnknownTenantException;
import org.clinical.infra.web.BadRequestException;
import org.clinical.infra.web.StoredPosition;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.time.Instant;
import java.util.Optional;
import java.util.function.Function;

/**
 * Creates tenants and shows them. A creation claims the id across regions first ({@link TenantClaims}), then
 * migrates the schema and stores {@code TenantCreated} through the tenant's own command bus, and activates the
 * tenant (read models, processors, requests) only once that event is stored. An existing id goes through the
 * command like any other: a retry with the first request's {@code Idempotency-Key} gets the first answer,
 * anything else the aggregate's 409. A tenant registered by another instance is activated here on the way.
 */
@RestController
@RequestMapping("/api/v1/tenants")
@Tag(name = "Tenants and facilities (admin)")
public class TenantController {

    private final CommandEndpoint endpoint;
    private final TenantActivation activation;
    private final TenantRegistry registry;
    private final TenantClaims claims;
    private final TenantAccess access;
    private final Regions regions;
    private final EdgeClock clock;
    private final StoredPosition stored;

    public TenantController(CommandEndpoint endpoint, TenantActivation activation, TenantRegistry registry,
                            TenantClaims claims, TenantAccess access, Regions regions, EdgeClock clock,
                            StoredPosition stored) {
        this.stored = stored;
        this.endpoint = endpoint;
        this.claims = claims;
        this.activation = activation;
        this.registry = registry;
        this.access = access;
        this.regions = regions;
        this.clock = clock;
    }

    public record CreateTenantRequest(
            @NotBlank @Pattern(regexp = "[a-z][a-z0-9-]{1,39}",
                    message = "must match [a-z][a-z0-9-]{1,39}") String id,
            @NotBlank @Line @Size(max = Limits.NAME) String name,
            @NotBlank @Line @Size(max = Limits.WORD) String region) {
    }

    public record TenantView(String id, String name, String region, Instant createdAt) {

        static TenantView of(Tenant t) {
            return new TenantView(t.id(), t.name(), t.region(), t.createdAt());
        }
    }

    @PostMapping
    @ApiResponse(responseCode = "201", description = "the tenant, created")
    @Operation(summary = "Create a tenant with its own event store schema in its region's database",
            description = "Needs the admin role with \"*\" in tenants. 201 with the tenant; 409 if the id exists in"
                    + " any region; 400 for an unknown region, or for a reserved id (`tenants`, `regions`: paths of"
                    + " the API). A retry with the same `Idempotency-Key` and body answers the first 201 again.")
    public ResponseEntity<Object> create(@Valid @RequestBody CreateTenantRequest body, HttpServletRequest request) {
        if (!Caller.current().isOperator()) {
            throw new AccessDeniedException("creating a tenant needs \"*\" in tenants");
        }
        if (Tenant.RESERVED_IDS.contains(body.id())) {
            throw new BadRequestException("id", "is reserved: " + String.join(", ", Tenant.RESERVED_IDS.stream()
                    .sorted().toList()) + " are paths of the API");
        }
        if (!regions.exists(body.region())) {
            throw new BadRequestException("region", "unknown region '" + body.region() + "'");
        }
        Optional<Tenant> existing = registry.find(body.id());
        if (existing.isEmpty()) {
            Tenant tenant = new Tenant(body.id(), body.name(), body.region(), clock.now());
            var claimed = claims.claimWhile(tenant, () -> storeFirstEvent(tenant, body, request));
            if (claimed.made()) {
                activation.activate(tenant);
                return claimed.value();
            }
            existing = registry.find(body.id());
        }
        Tenant tenant = existing.orElseThrow(() -> taken(body.id()));
        activation.activate(tenant);
        return send(tenant, body, request, endpoint::send);
    }

    /** Schema, command bus and event store, then {@code TenantCreated}; on failure the bus and store go again. */
    private ResponseEntity<Object> storeFirstEvent(Tenant tenant, CreateTenantRequest body,
                                                   HttpServletRequest request) {
        activation.open(tenant);
        try {
            return send(tenant, body, request, endpoint::sendToKnownTenant);
        } catch (RuntimeException e) {
            activation.close(tenant);
            throw e;
        }
    }

    /**
     * Sends {@code CreateTenant}: for an existing tenant, a retry with the first request's
     * {@code Idempotency-Key} gets the first answer, anything else the aggregate's 409.
     */
    private ResponseEntity<Object> send(Tenant tenant, CreateTenantRequest body, HttpServletRequest request,
                                        Sender sender) {
        return sender.send(tenant.id(), request, body,
                new CreateTenant(tenant.id(), tenant.name(), tenant.region(), tenant.createdAt()),
                receipt -> Answer.created(TenantView.of(tenant), receipt.versionOf(tenant.id())));
    }

    /** Claimed, but not registered: a create of the id is in progress elsewhere. */
    private static RuleViolation taken(String tenantId) {
        return new RuleViolation(ErrorCode.TENANT_EXISTS, "Tenant '" + tenantId + "' already exists");
    }

    private interface Sender {
        ResponseEntity<Object> send(String tenantId, HttpServletRequest request, Object body, Object command,
                                    Function<CommandReceipt, Answer> answer);
    }

    @GetMapping("/{tenant}")
    @Operation(summary = "A tenant: id, name, region and creation time")
    public TenantView get(@PathVariable("tenant") String tenantId, HttpServletRequest request) {
        stored.await(access.require(tenantId), request.getHeader(StoredPosition.HEADER));
        return registry.find(tenantId).map(TenantView::of).orElseThrow(() -> new UnknownTenantException(tenantId));
    }
}
