package org.clinical.query.audit;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import org.clinical.infra.config.ClinicalProperties;
import org.clinical.infra.eventstore.TenantEventStores;
import org.clinical.infra.web.BadRequestException;
import org.clinical.infra.web.NotFoundException;
import org.clinical.infra.web.ProjectionsBehindException;
import org.clinical.projections.audit.AuditProjection;
import org.clinical.projections.audit.AuditQueries;
import org.clinical.projections.audit.PatientChartAsOf;
import org.clinical.projections.audit.PatientChartAsOf.Chart;
import org.clinical.projections.readmodel.ProjectionPositions;
import org.clinical.projections.readmodel.Read;
import org.clinical.query.patient.PatientSummary;
import org.clinical.query.web.QueryParameters;
import org.clinical.query.web.ReadModels;
import org.springframework.http.CacheControl;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * The patient's chart as it was recorded at an instant, rebuilt from the stored events ({@link PatientChartAsOf}),
 * and optionally as it was clinically at another instant, as known then (docs/read-models.md, "audit", "As of").
 * Before folding, the "audit" projection (which maps each encounter and observation to its patient) must hold
 * every event committed when the request came: otherwise a record started just before could be missing.
 */
@RestController
@Tag(name = "Audit (auditor)")
public class AuditChartController {

    /** The clock skew allowed between instances, as for the clinical times commands accept. */
    static final Duration SKEW = Duration.ofMinutes(5);
    private static final Instant FLOOR = LocalDate.of(1800, 1, 1).atStartOfDay(java.time.ZoneOffset.UTC).toInstant();
    /**
     * How long after its time stamp an event may still commit: the platform's bound on an open command
     * transaction, the one the event stores' gap timeout relies on. Answers as of a later instant are provisional.
     */
    static final Duration SETTLED_AFTER = TenantEventStores.GAP_TIMEOUT;

    private final ReadModels readModels;
    private final ProjectionPositions positions;
    private final PatientChartAsOf charts;
    private final Clock clock;
    private final Duration wait;
    private final AccessLog accessLog;

    public AuditChartController(ReadModels readModels, ProjectionPositions positions, PatientChartAsOf charts,
                                Clock clock, ClinicalProperties properties, AccessLog accessLog) {
        this.accessLog = accessLog;
        this.readModels = readModels;
        this.positions = positions;
        this.charts = charts;
        this.clock = clock;
        this.wait = properties.query().minPositionWait();
    }

    /** The live summary's fields ({@code GET /patients/{id}}), then when and how far the chart was rebuilt. */
    public record ChartView(@JsonUnwrapped PatientSummary summary,
                            @Schema(description = "the chart holds the events recorded by this instant") Instant asOf,
                            @Schema(description = "clinical state at this instant (null: as recorded)")
                            Instant effectiveAsOf,
                            @Schema(description = "position of the last event the chart holds") long position,
                            @Schema(description = "true when asOf is less than 10 minutes ago (or ahead): an event "
                                    + "stamped by asOf may still commit and join the answer") boolean provisional) {

        static ChartView of(Chart c, Instant asOf, Instant effectiveAsOf, boolean provisional) {
            PatientSummary summary = new PatientSummary(c.patientId(), c.mrn(),
                    new PatientSummary.Name(c.family(), c.given()), c.birthDate(), c.gender(), c.active(),
                    c.deceasedAt(), c.mergedInto(), c.identifiers(), c.telecom(), c.address(), c.version(),
                    c.openEncounter(), c.latestVitals());
            return new ChartView(summary, asOf, effectiveAsOf, c.position(), provisional);
        }
    }

    @GetMapping("/api/v1/{tenant}/audit/patients/{id}")
    @Operation(summary = "The patient summary as it was recorded at an instant, rebuilt from the events",
            description = "Role auditor. The live summary's fields (demographics, status, the open encounter, the"
                    + " latest vital sign per code) folded from the patient's own stored events recorded by asOf"
                    + " (default: now), never from today's read models; plus asOf, effectiveAsOf, the position of the"
                    + " last event included and provisional. Recorded by asOf: for each record, its events up to the"
                    + " last one whose stored time is at or before asOf. With effectiveAsOf, what was clinically true"
                    + " then as known at asOf: the encounter open at that time by its start, transfer and discharge"
                    + " times (cancelled ones never were), vital signs with effectiveAt at or before it (amendments"
                    + " and entries in error as known at asOf), the death and the merge from their times."
                    + " 400 for an instant that is not ISO-8601, before 1800-01-01 or more than 5 minutes ahead;"
                    + " 404 for an unknown patient or one with no event recorded by asOf; 503 while the audit"
                    + " projection is behind the stream.")
    public ResponseEntity<ChartView> chart(@PathVariable("tenant") String tenant, @PathVariable("id") String id,
                                           @Parameter(description = "ISO-8601 instant with offset; default now")
                                           @RequestParam(name = "asOf", required = false) String asOf,
                                           @Parameter(description = "ISO-8601 instant with offset: clinical state then")
                                           @RequestParam(name = "effectiveAsOf", required = false)
                                           String effectiveAsOf,
                                           HttpServletRequest request) {
        Instant now = clock.instant();
        Instant recordedBy = inRange("asOf", QueryParameters.instant("asOf", asOf), now);
        Instant effective = inRange("effectiveAsOf", QueryParameters.instant("effectiveAsOf", effectiveAsOf), now);
        if (recordedBy == null) {
            recordedBy = now;
        }
        Read read = readModels.read(tenant, request.getHeader(ReadModels.MIN_POSITION), AuditProjection.NAME);
        UUID patientId = QueryParameters.patientId(id);
        awaitAuditHoldsCommitted(read);
        if (!AuditQueries.knownPatient(read, patientId)) {
            throw QueryParameters.unknownPatient(id);
        }
        Instant by = recordedBy;
        Chart chart = charts.chart(read, patientId, by, effective).orElseThrow(() -> new NotFoundException(
                "no event of patient " + patientId + " was recorded by " + by));
        boolean provisional = by.isAfter(now.minus(SETTLED_AFTER));
        accessLog.record(request, read.tenant(), patientId);
        return ResponseEntity.ok().cacheControl(CacheControl.noCache().cachePrivate())
                .body(ChartView.of(chart, by, effective, provisional));
    }

    /**
     * Waits until the "audit" projection has handled every event committed now: up to the stream's newest
     * position, and each position it skipped as uncommitted that has committed since. Else 503, as for
     * {@code X-Min-Position}.
     */
    private void awaitAuditHoldsCommitted(Read read) {
        Set<String> audit = Set.of(AuditProjection.NAME);
        long head = AuditQueries.head(read);
        long deadline = System.nanoTime() + wait.toNanos();
        await(read, audit, head, deadline);
        List<Long> skipped = positions.gaps(read.tenant(), AuditProjection.NAME).headSet(head + 1).stream().toList();
        for (long position : AuditQueries.committed(read, skipped)) {
            await(read, audit, position, deadline);
        }
    }

    private void await(Read read, Set<String> projections, long position, long deadline) {
        try {
            Duration left = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
            if (!positions.await(read.tenant(), projections, position, left)) {
                throw new ProjectionsBehindException("The audit projection", position);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProjectionsBehindException("The audit projection", position);
        }
    }

    private static Instant inRange(String name, Instant instant, Instant now) {
        if (instant == null) {
            return null;
        }
        if (instant.isBefore(FLOOR)) {
            throw new BadRequestException(name, "must not be before 1800-01-01");
        }
        if (instant.isAfter(now.plus(SKEW))) {
            throw new BadRequestException(name, "must not be more than 5 minutes in the future");
        }
        return instant;
    }
}
