package org.clinical.command.encounter.web;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import org.clinical.command.web.CodingBody;
import org.clinical.command.web.CommandEndpoint;
import org.clinical.command.web.CommandEndpoint.Answer;
import org.clinical.infra.web.RecordVersion;
import org.clinical.command.web.ClinicalRange;
import org.clinical.command.web.EdgeClock;
import org.clinical.command.web.Limits;
import org.clinical.command.web.Line;
import org.clinical.command.web.Text;
import org.clinical.events.encounter.CancelEncounter;
import org.clinical.events.encounter.DischargePatient;
import org.clinical.events.encounter.EncounterClass;
import org.clinical.events.encounter.EncounterId;
import org.clinical.events.encounter.StartEncounter;
import org.clinical.events.encounter.TransferPatient;
import org.clinical.events.facility.FacilityId;
import org.clinical.events.patient.PatientId;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.time.Instant;
import java.util.UUID;

@RestController
@RequestMapping("/api/v1/{tenant}/encounters")
@Tag(name = "Encounters (clinician)")
public class EncounterController {

    private final CommandEndpoint endpoint;
    private final EdgeClock clock;

    public EncounterController(CommandEndpoint endpoint, EdgeClock clock) {
        this.endpoint = endpoint;
        this.clock = clock;
    }

    public record StartEncounterRequest(@NotNull UUID patientId,
                                        @NotNull @JsonProperty("class") EncounterClass encounterClass,
                                        @NotNull UUID facilityId, @Line @Size(max = Limits.PLACE) String location,
                                        @NotNull @Schema(description = ClinicalRange.INSTANT) Instant startedAt,
                                        @Valid CodingBody reason) {
    }

    public record TransferRequest(@NotBlank @Line @Size(max = Limits.PLACE) String location,
                                  @NotNull @Schema(description = ClinicalRange.INSTANT) Instant at) {
    }

    public record DischargeRequest(@NotNull @Schema(description = ClinicalRange.INSTANT) Instant at,
                                   @Line @Size(max = Limits.PLACE) String disposition) {
    }

    public record CancelRequest(@NotBlank @Text @Size(max = Limits.REASON) String reason) {
    }

    public record EncounterVersion(UUID encounterId, long version) {
    }

    @PostMapping
    @ApiResponse(responseCode = "201", description = "the encounter, started, with its version")
    @Operation(summary = "Start (admit) an encounter", description = "404 unknown patient or facility; 409 patient"
            + " merged or deceased, or already in an open IMP encounter when class is IMP")
    public ResponseEntity<Object> start(@PathVariable("tenant") String tenant,
                                        @Valid @RequestBody StartEncounterRequest body, HttpServletRequest request) {
        EncounterId id = new EncounterId(clock.newId());
        return endpoint.send(tenant, request, body, new StartEncounter(id, new PatientId(body.patientId()),
                        body.encounterClass(), new FacilityId(body.facilityId()), body.location(),
                        clock.inRange("startedAt", body.startedAt()), CodingBody.toCoding(body.reason())),
                receipt -> answer(201, id, receipt.versionOf(id)));
    }

    @PostMapping("/{id}/transfer")
    @Operation(summary = "Transfer the patient to another location; 409 if not in progress, 400 if dated before"
            + " the start or the previous transfer")
    public ResponseEntity<Object> transfer(@PathVariable("tenant") String tenant, @PathVariable("id") UUID encounterId,
                                           @Valid @RequestBody TransferRequest body,
                                           @RequestHeader(name = "If-Match", required = false) String ifMatch,
                                           HttpServletRequest request) {
        EncounterId id = new EncounterId(encounterId);
        return endpoint.send(tenant, request, body, new TransferPatient(id, body.location(),
                        clock.inRange("at", body.at()), CommandEndpoint.expectedVersion(ifMatch)),
                receipt -> answer(200, id, receipt.versionOf(id)));
    }

    @PostMapping("/{id}/discharge")
    @Operation(summary = "Discharge; 409 if not in progress, 400 if before the start or the last transfer")
    public ResponseEntity<Object> discharge(@PathVariable("tenant") String tenant, @PathVariable("id") UUID encounterId,
                                            @Valid @RequestBody DischargeRequest body,
                                            @RequestHeader(name = "If-Match", required = false) String ifMatch,
                                            HttpServletRequest request) {
        EncounterId id = new EncounterId(encounterId);
        return endpoint.send(tenant, request, body, new DischargePatient(id, clock.inRange("at", body.at()),
                        body.disposition(), CommandEndpoint.expectedVersion(ifMatch)),
                receipt -> answer(200, id, receipt.versionOf(id)));
    }

    @PostMapping("/{id}/cancel")
    @Operation(summary = "Cancel an encounter (entered by mistake); 409 if finished")
    public ResponseEntity<Object> cancel(@PathVariable("tenant") String tenant, @PathVariable("id") UUID encounterId,
                                         @Valid @RequestBody CancelRequest body,
                                         @RequestHeader(name = "If-Match", required = false) String ifMatch,
                                         HttpServletRequest request) {
        EncounterId id = new EncounterId(encounterId);
        return endpoint.send(tenant, request, body, new CancelEncounter(id, body.reason(), clock.now(),
                        CommandEndpoint.expectedVersion(ifMatch)),
                receipt -> answer(200, id, receipt.versionOf(id)));
    }

    private static Answer answer(int status, EncounterId id, RecordVersion version) {
        return new Answer(status, new EncounterVersion(id.value(), version.value()), version);
    }
}
