package org.clinical.command.observation.web;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Digits;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import org.clinical.command.observation.ObservationBatch;
import org.clinical.command.web.CodingBody;
import org.clinical.command.web.CommandEndpoint;
import org.clinical.command.web.CommandEndpoint.Answer;
import org.clinical.infra.web.RecordVersion;
import org.clinical.command.web.ClinicalRange;
import org.clinical.command.web.EdgeClock;
import org.clinical.command.web.Limits;
import org.clinical.command.web.Line;
import org.clinical.command.web.Text;
import org.clinical.events.encounter.EncounterId;
import org.clinical.events.observation.AmendObservation;
import org.clinical.events.observation.MarkEnteredInError;
import org.clinical.events.observation.ObservationId;
import org.clinical.events.observation.ObservationValue;
import org.clinical.events.observation.RecordObservation;
import org.clinical.events.observation.RecordObservations;
import org.clinical.events.observation.ReferenceRange;
import org.clinical.events.patient.PatientId;
import org.clinical.infra.web.BadRequestException;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

@RestController
@RequestMapping("/api/v1/{tenant}/observations")
@Tag(name = "Observations (clinician)")
public class ObservationController {

    private final CommandEndpoint endpoint;
    private final EdgeClock clock;

    public ObservationController(CommandEndpoint endpoint, EdgeClock clock) {
        this.endpoint = endpoint;
        this.clock = clock;
    }

    /** {@code low} and {@code high} bound the normal range of a quantity; either may be left out. */
    public record RangeBody(@Digits(integer = Limits.INTEGER_DIGITS, fraction = Limits.FRACTION_DIGITS) BigDecimal low,
                            @Digits(integer = Limits.INTEGER_DIGITS, fraction = Limits.FRACTION_DIGITS) BigDecimal high) {
    }

    public record RecordObservationRequest(@NotNull UUID patientId, UUID encounterId,
                                           @NotNull @Valid CodingBody code,
                                           @Line @Size(max = Limits.CODE) String category,
                                           @NotNull @Schema(description = ClinicalRange.INSTANT) Instant effectiveAt,
                                           @NotNull @StorableValue @Schema(description = StorableValue.DESCRIPTION)
                                           ObservationValue value,
                                           @Valid RangeBody referenceRange) {
    }

    public record BatchRequest(@NotEmpty @Size(max = ObservationBatch.MAX_SIZE)
                               List<@NotNull @Valid RecordObservationRequest> observations) {
    }

    public record AmendRequest(@NotNull @StorableValue @Schema(description = StorableValue.DESCRIPTION)
                               ObservationValue value,
                               @NotBlank @Text @Size(max = Limits.REASON) String reason,
                               @Valid RangeBody referenceRange) {
    }

    public record EnteredInErrorRequest(@NotBlank @Text @Size(max = Limits.REASON) String reason) {
    }

    public record ObservationVersion(UUID observationId, long version) {
    }

    public record BatchResults(List<ObservationVersion> results) {
    }

    @PostMapping
    @ApiResponse(responseCode = "201", description = "the observation, recorded, with its version")
    @Operation(summary = "Record an observation (vital sign, lab result, panel)", description = "404 unknown"
            + " patient or encounter; 409 encounter cancelled, of another patient, or patient merged")
    public ResponseEntity<Object> record(@PathVariable("tenant") String tenant,
                                         @Valid @RequestBody RecordObservationRequest body,
                                         HttpServletRequest request) {
        RecordObservation command = toCommand("", body);
        return endpoint.send(tenant, request, body, command, receipt -> answer(201, command.observationId(),
                receipt.versionOf(command.observationId())));
    }

    @PostMapping("/batch")
    @ApiResponse(responseCode = "201", description = "every observation, recorded, in request order")
    @Operation(summary = "Record up to 1,000 observations, all or nothing, in one transaction",
            description = "Results in request order. The first refused observation refuses the batch; the"
                    + " problem's detail names it as observations[i].")
    public ResponseEntity<Object> recordBatch(@PathVariable("tenant") String tenant,
                                              @Valid @RequestBody BatchRequest body, HttpServletRequest request) {
        List<RecordObservation> commands = new ArrayList<>(body.observations().size());
        for (int i = 0; i < body.observations().size(); i++) {
            commands.add(toCommand("observations[" + i + "].", body.observations().get(i)));
        }
        return endpoint.send(tenant, request, body, new RecordObservations(commands), receipt -> new Answer(201,
                new BatchResults(commands.stream().map(c -> new ObservationVersion(c.observationId().value(),
                        receipt.versionOf(c.observationId()).value())).toList()), null));
    }

    @PostMapping("/{id}/amend")
    @Operation(summary = "Amend an observation's value; reads show it as amended")
    public ResponseEntity<Object> amend(@PathVariable("tenant") String tenant, @PathVariable("id") UUID observationId,
                                        @Valid @RequestBody AmendRequest body,
                                        @RequestHeader(name = "If-Match", required = false) String ifMatch,
                                        HttpServletRequest request) {
        ObservationId id = new ObservationId(observationId);
        return endpoint.send(tenant, request, body, new AmendObservation(id, body.value(),
                        range(body.referenceRange()), body.reason(), clock.now(),
                        CommandEndpoint.expectedVersion(ifMatch)),
                receipt -> answer(200, id, receipt.versionOf(id)));
    }

    @PostMapping("/{id}/entered-in-error")
    @Operation(summary = "Mark an observation entered in error; later reads mark it, never drop it")
    public ResponseEntity<Object> enteredInError(@PathVariable("tenant") String tenant,
                                                 @PathVariable("id") UUID observationId,
                                                 @Valid @RequestBody EnteredInErrorRequest body,
                                                 @RequestHeader(name = "If-Match", required = false) String ifMatch,
                                                 HttpServletRequest request) {
        ObservationId id = new ObservationId(observationId);
        return endpoint.send(tenant, request, body, new MarkEnteredInError(id, body.reason(), clock.now(),
                        CommandEndpoint.expectedVersion(ifMatch)),
                receipt -> answer(200, id, receipt.versionOf(id)));
    }

    private RecordObservation toCommand(String path, RecordObservationRequest body) {
        return new RecordObservation(new ObservationId(clock.newId()), new PatientId(body.patientId()),
                body.encounterId() == null ? null : new EncounterId(body.encounterId()), body.code().toCoding(),
                body.category(), clock.inRange(path + "effectiveAt", body.effectiveAt()), body.value(),
                range(body.referenceRange()));
    }

    private static ReferenceRange range(RangeBody body) {
        if (body == null) {
            return null;
        }
        if (body.low() != null && body.high() != null && body.low().compareTo(body.high()) > 0) {
            throw new BadRequestException("referenceRange", "low must not exceed high");
        }
        return new ReferenceRange(body.low(), body.high());
    }

    private static Answer answer(int status, ObservationId id, RecordVersion version) {
        return new Answer(status, new ObservationVersion(id.value(), version.value()), version);
    }
}
