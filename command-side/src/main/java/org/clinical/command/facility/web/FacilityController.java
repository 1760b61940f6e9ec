package org.clinical.command.facility.web;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;
import org.clinical.command.web.CommandEndpoint;
import org.clinical.command.web.CommandEndpoint.Answer;
import org.clinical.command.web.EdgeClock;
import org.clinical.command.web.Limits;
import org.clinical.command.web.Line;
import org.clinical.infra.web.Cursor;
import org.clinical.infra.web.Page;
import org.clinical.events.facility.FacilityId;
import org.clinical.events.facility.FacilityType;
import org.clinical.events.facility.RegisterFacility;
import org.clinical.infra.security.TenantAccess;
import org.clinical.infra.tenant.Tenant;
import org.clinical.infra.web.StoredPosition;
import org.clinical.infra.tenant.TenantJdbc;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.time.Instant;
import java.util.UUID;

@RestController
@RequestMapping("/api/v1/{tenant}/facilities")
@Tag(name = "Tenants and facilities (admin)")
public class FacilityController {

    private final CommandEndpoint endpoint;
    private final TenantAccess access;
    private final TenantJdbc jdbc;
    private final EdgeClock clock;
    private final StoredPosition stored;

    public FacilityController(CommandEndpoint endpoint, TenantAccess access, TenantJdbc jdbc, EdgeClock clock,
                              StoredPosition stored) {
        this.endpoint = endpoint;
        this.access = access;
        this.jdbc = jdbc;
        this.clock = clock;
        this.stored = stored;
    }

    public record RegisterFacilityRequest(@NotBlank @Line @Size(max = Limits.CODE) String code,
                                          @NotBlank @Line @Size(max = Limits.NAME) String name,
                                          @NotNull FacilityType type,
                                          @PositiveOrZero @Max(Limits.BEDS) Integer beds) {
    }

    public record FacilityCreated(UUID facilityId) {
    }

    public record FacilityView(UUID facilityId, String code, String name, String type, Integer beds,
                               Instant registeredAt) {
    }

    @PostMapping
    @ApiResponse(responseCode = "201", description = "the facility, registered")
    @Operation(summary = "Register a facility (hospital, clinic or lab); 409 if its code exists in the tenant")
    public ResponseEntity<Object> register(@PathVariable("tenant") String tenant,
                                           @Valid @RequestBody RegisterFacilityRequest body,
                                           HttpServletRequest request) {
        FacilityId id = new FacilityId(clock.newId());
        return endpoint.send(tenant, request, body,
                new RegisterFacility(id, body.code(), body.name(), body.type(), body.beds(), clock.now()),
                receipt -> Answer.created(new FacilityCreated(id.value()), receipt.versionOf(id)));
    }

    @GetMapping
    @Operation(summary = "The tenant's facilities, ordered by code, cursor-paginated",
            description = "Roles admin, clinician (to pick a facility when admitting) and analyst (who groups"
                    + " statistics by facility); any other token answers 403. Registering one needs admin.")
    public Page<FacilityView> list(@PathVariable("tenant") String tenantId,
                                   @RequestParam(name = "limit", required = false) Integer limit,
                                   @RequestParam(name = "cursor", required = false) String cursor,
                                   HttpServletRequest request) {
        Tenant tenant = access.require(tenantId);
        stored.await(tenant, request.getHeader(StoredPosition.HEADER));
        int size = Page.limit(limit);
        String after = Cursor.read(cursor, 1, Cursor.Parts::text);
        var rows = jdbc.jdbc(tenant).query("select facility_id, code, name, type, beds, registered_at from "
                        + tenant.schema() + ".facility_registry where code > ? order by code limit ?",
                (rs, i) -> new FacilityView(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3),
                        rs.getString(4), (Integer) rs.getObject(5), rs.getTimestamp(6).toInstant()),
                after == null ? "" : after, size + 1);
        return Page.of(rows, size, facility -> Cursor.after(facility.code()));
    }
}
