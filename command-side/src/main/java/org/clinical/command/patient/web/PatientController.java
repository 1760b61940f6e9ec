package org.clinical.command.patient.web;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import org.clinical.command.web.CommandEndpoint;
import org.clinical.command.web.CommandEndpoint.Answer;
import org.clinical.infra.web.RecordVersion;
import org.clinical.command.web.ClinicalRange;
import org.clinical.command.web.EdgeClock;
import org.clinical.command.web.Limits;
import org.clinical.command.web.Line;
import org.clinical.events.patient.Address;
import org.clinical.events.patient.Demographics;
import org.clinical.events.patient.Gender;
import org.clinical.events.patient.HumanName;
import org.clinical.events.patient.Identifier;
import org.clinical.events.patient.MergePatient;
import org.clinical.events.patient.Mrn;
import org.clinical.events.patient.PatientId;
import org.clinical.events.patient.RecordDeath;
import org.clinical.events.patient.RegisterPatient;
import org.clinical.events.patient.Telecom;
import org.clinical.events.patient.UpdateDemographics;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

@RestController
@RequestMapping("/api/v1/{tenant}/patients")
@Tag(name = "Registration (clinician)")
public class PatientController {

    private final CommandEndpoint endpoint;
    private final EdgeClock clock;

    public PatientController(CommandEndpoint endpoint, EdgeClock clock) {
        this.endpoint = endpoint;
        this.clock = clock;
    }

    public record NameBody(@NotBlank @Line @Size(max = Limits.NAME) String family,
                           @Size(max = Limits.GIVEN_NAMES)
                           List<@NotBlank @Line @Size(max = Limits.NAME) String> given) {
    }

    public record IdentifierBody(@NotBlank @Line @Size(max = Limits.URI) String system,
                                 @NotBlank @Line @Size(max = Limits.URI) String value) {
    }

    public record TelecomBody(@NotBlank @Line @Size(max = Limits.WORD) String system,
                              @NotBlank @Line @Size(max = Limits.URI) String value,
                              @Line @Size(max = Limits.WORD) String use) {
    }

    public record AddressBody(@Size(max = Limits.ADDRESS_LINES)
                              List<@NotNull @Line @Size(max = Limits.ADDRESS_LINE) String> line,
                              @Line @Size(max = Limits.PLACE) String city,
                              @Line @Size(max = Limits.PLACE) String state,
                              @Line @Size(max = Limits.PLACE) String postalCode,
                              @Line @Size(max = Limits.PLACE) String country) {
    }

    public record RegisterPatientRequest(@NotBlank @Line @Size(max = Limits.CODE) String mrn,
                                         @NotNull @Valid NameBody name,
                                         @NotNull @Schema(description = ClinicalRange.DATE) LocalDate birthDate,
                                         @NotNull Gender gender,
                                         @Size(max = Limits.ENTRIES) List<@NotNull @Valid IdentifierBody> identifiers,
                                         @Size(max = Limits.ENTRIES) List<@NotNull @Valid TelecomBody> telecom,
                                         @Valid AddressBody address) {
    }

    public record DemographicsRequest(@NotNull @Valid NameBody name,
                                      @NotNull @Schema(description = ClinicalRange.DATE) LocalDate birthDate,
                                      @NotNull Gender gender,
                                      @Size(max = Limits.ENTRIES) List<@NotNull @Valid IdentifierBody> identifiers,
                                      @Size(max = Limits.ENTRIES) List<@NotNull @Valid TelecomBody> telecom,
                                      @Valid AddressBody address) {
    }

    public record MergeRequest(@NotNull UUID survivorId) {
    }

    public record DeceasedRequest(@NotNull @Schema(description = ClinicalRange.INSTANT) Instant deceasedAt) {
    }

    public record PatientVersion(UUID patientId, long version) {
    }

    @PostMapping
    @ApiResponse(responseCode = "201", description = "the patient, registered, with its version")
    @Operation(summary = "Register a patient; 409 if the MRN is taken in the tenant")
    public ResponseEntity<Object> register(@PathVariable("tenant") String tenant,
                                           @Valid @RequestBody RegisterPatientRequest body,
                                           HttpServletRequest request) {
        PatientId id = new PatientId(clock.newId());
        Demographics demographics = demographics(body.name(), body.birthDate(), body.gender(), body.identifiers(),
                body.telecom(), body.address());
        return endpoint.send(tenant, request, body, new RegisterPatient(id, new Mrn(body.mrn()), demographics),
                receipt -> answer(201, id, receipt.versionOf(id)));
    }

    @PutMapping("/{id}/demographics")
    @Operation(summary = "Correct a patient's demographics (all fields but the MRN); If-Match for a version")
    public ResponseEntity<Object> updateDemographics(@PathVariable("tenant") String tenant,
                                                     @PathVariable("id") UUID patientId,
                                                     @Valid @RequestBody DemographicsRequest body,
                                                     @RequestHeader(name = "If-Match", required = false) String ifMatch,
                                                     HttpServletRequest request) {
        PatientId id = new PatientId(patientId);
        Demographics demographics = demographics(body.name(), body.birthDate(), body.gender(), body.identifiers(),
                body.telecom(), body.address());
        return endpoint.send(tenant, request, body,
                new UpdateDemographics(id, demographics, CommandEndpoint.expectedVersion(ifMatch)),
                receipt -> answer(200, id, receipt.versionOf(id)));
    }

    @PostMapping("/{id}/merge")
    @Operation(summary = "Merge a duplicate record into its survivor; the merged record then takes no commands")
    public ResponseEntity<Object> merge(@PathVariable("tenant") String tenant, @PathVariable("id") UUID patientId,
                                        @Valid @RequestBody MergeRequest body,
                                        @RequestHeader(name = "If-Match", required = false) String ifMatch,
                                        HttpServletRequest request) {
        PatientId id = new PatientId(patientId);
        return endpoint.send(tenant, request, body, new MergePatient(id, new PatientId(body.survivorId()),
                        clock.now(), CommandEndpoint.expectedVersion(ifMatch)),
                receipt -> answer(200, id, receipt.versionOf(id)));
    }

    @PostMapping("/{id}/deceased")
    @Operation(summary = "Record a patient's death; no new encounters afterwards")
    public ResponseEntity<Object> deceased(@PathVariable("tenant") String tenant, @PathVariable("id") UUID patientId,
                                           @Valid @RequestBody DeceasedRequest body,
                                           @RequestHeader(name = "If-Match", required = false) String ifMatch,
                                           HttpServletRequest request) {
        PatientId id = new PatientId(patientId);
        return endpoint.send(tenant, request, body, new RecordDeath(id,
                        clock.inRange("deceasedAt", body.deceasedAt()), CommandEndpoint.expectedVersion(ifMatch)),
                receipt -> answer(200, id, receipt.versionOf(id)));
    }

    private Demographics demographics(NameBody name, LocalDate birthDate, Gender gender,
                                      List<IdentifierBody> identifiers, List<TelecomBody> telecom,
                                      AddressBody address) {
        return new Demographics(new HumanName(name.family(), name.given()),
                clock.inRange("birthDate", birthDate), gender,
                identifiers == null ? List.of() : identifiers.stream()
                        .map(i -> new Identifier(i.system(), i.value())).toList(),
                telecom == null ? List.of() : telecom.stream()
                        .map(t -> new Telecom(t.system(), t.value(), t.use())).toList(),
                address == null ? null : new Address(address.line(), address.city(), address.state(),
                        address.postalCode(), address.country()));
    }

    private static Answer answer(int status, PatientId id, RecordVersion version) {
        return new Answer(status, new PatientVersion(id.value(), version.value()), version);
    }
}
