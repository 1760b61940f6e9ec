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
import org.clinical.events.facility.FacilityId;
import org.clinical.events.facility.FacilityType;
import org.clinical.events.facility.RegisterFacility;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.util.UUID;

/** Registering a facility (admin). The facility list is a read of the "facilities" read model (query side). */
@RestController
@RequestMapping("/api/v1/{tenant}/facilities")
@Tag(name = "Tenants and facilities (admin)")
public class FacilityController {

    private final CommandEndpoint endpoint;
    private final EdgeClock clock;

    public FacilityController(CommandEndpoint endpoint, EdgeClock clock) {
        this.endpoint = endpoint;
        this.clock = clock;
    }

    public record RegisterFacilityRequest(@NotBlank @Line @Size(max = Limits.CODE) String code,
                                          @NotBlank @Line @Size(max = Limits.NAME) String name,
                                          @NotNull FacilityType type,
                                          @PositiveOrZero @Max(Limits.BEDS) Integer beds) {
    }

    public record FacilityCreated(UUID facilityId) {
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
}
