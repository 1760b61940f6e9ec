package org.clinical.query.patient;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import org.clinical.infra.web.Page;
import org.clinical.infra.web.RecordVersion;
import org.clinical.query.audit.AccessLog;
import org.clinical.query.cache.PatientCache;
import org.clinical.query.patient.PatientSummary.Found;
import org.clinical.query.patient.PatientSummary.LatestVitals;
import org.clinical.query.web.QueryParameters;
import org.clinical.query.web.ReadModels;
import org.clinical.projections.readmodel.Read;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.util.UUID;

@RestController
@RequestMapping("/api/v1/{tenant}/patients")
@Tag(name = "Reads")
public class PatientReadController {

    private final ReadModels readModels;
    private final PatientReads reads;
    private final PatientSearch search;
    private final PatientCache cache;
    private final AccessLog accessLog;

    public PatientReadController(ReadModels readModels, PatientReads reads, PatientSearch search, PatientCache cache,
                                 AccessLog accessLog) {
        this.readModels = readModels;
        this.reads = reads;
        this.search = search;
        this.cache = cache;
        this.accessLog = accessLog;
    }

    @GetMapping("/{id}")
    @Operation(summary = "The patient summary: demographics, status, the open encounter and the latest vital signs",
            description = "ETag is the patient record's version, the one If-Match takes on its commands. It is not"
                    + " a validator for conditional GETs (If-None-Match is ignored): the summary also holds the open"
                    + " encounter and vital signs, which change without it. A merged patient"
                    + " answers 200 with mergedInto set: reads point to the survivor. 404 for an unknown patient.")
    @ApiResponse(responseCode = "200", content = @Content(mediaType = "application/json",
            schema = @Schema(implementation = PatientSummary.class)))
    public ResponseEntity<String> summary(@PathVariable("tenant") String tenant, @PathVariable("id") String id,
                                          HttpServletRequest request) {
        Read read = reads.summaryRead(tenant, request.getHeader(ReadModels.MIN_POSITION));
        UUID patientId = QueryParameters.patientId(id);
        PatientCache.Cached summary = cache.read(read.tenant(), patientId, PatientCache.Part.SUMMARY,
                () -> reads.summary(read, patientId), PatientSummary::version);
        if (summary == null) {
            throw QueryParameters.unknownPatient(id);
        }
        accessLog.record(request, read.tenant(), patientId);
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON)
                .eTag(RecordVersion.of(summary.version()).etag())
                .cacheControl(CacheControl.noCache().cachePrivate()).body(summary.json());
    }

    @GetMapping("/{id}/vitals/latest")
    @Operation(summary = "The latest value of each vital-sign code of the patient: {items: [...]}; 404 for an unknown patient")
    @ApiResponse(responseCode = "200", content = @Content(mediaType = "application/json",
            schema = @Schema(implementation = LatestVitals.class)))
    public ResponseEntity<String> latestVitals(@PathVariable("tenant") String tenant, @PathVariable("id") String id,
                                               HttpServletRequest request) {
        Read read = reads.vitalsRead(tenant, request.getHeader(ReadModels.MIN_POSITION));
        UUID patientId = QueryParameters.patientId(id);
        PatientCache.Cached vitals = cache.read(read.tenant(), patientId, PatientCache.Part.VITALS,
                () -> reads.latestVitals(read, patientId), v -> 0);
        if (vitals == null) {
            throw QueryParameters.unknownPatient(id);
        }
        accessLog.record(request, read.tenant(), patientId);
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(vitals.json());
    }

    @GetMapping
    @Operation(summary = "Search patients by name, MRN and birth date (filters combine with AND; none: every patient)",
            description = "Each word or hyphen-separated part of name must match a part of the family or given names,"
                    + " case- and accent-insensitively, as a prefix or fuzzily (trigram similarity >= 0.3, e.g."
                    + " 'mueller' finds 'Müller'). Ordered by name then patientId; cursor-paginated.")
    public Page<Found> search(@PathVariable("tenant") String tenant,
                              @Parameter(description = "words of the family or given names") @RequestParam(name = "name", required = false) String name,
                              @RequestParam(name = "mrn", required = false) String mrn,
                              @Parameter(description = "YYYY-MM-DD") @RequestParam(name = "birthDate", required = false) String birthDate,
                              @RequestParam(name = "limit", required = false) Integer limit,
                              @RequestParam(name = "cursor", required = false) String cursor,
                              HttpServletRequest request) {
        Read read = readModels.read(tenant, request.getHeader(ReadModels.MIN_POSITION), "patients");
        Page<Found> found = search.search(read, new PatientSearch.Criteria(name, mrn, birthDate, limit, cursor));
        accessLog.record(request, read.tenant(), found.items().stream().map(Found::patientId).toList());
        return found;
    }
}
