package org.clinical.query.web;

import org.clinical.infra.region.Regions;
import org.clinical.infra.security.TenantAccess;
import org.clinical.infra.tenant.Tenant;
import org.clinical.infra.web.StoredPosition;
import org.clinical.infra.web.ProjectionsBehindException;
import org.clinical.projections.readmodel.Generations;
import org.clinical.projections.readmodel.ProjectionPositions;
import org.clinical.projections.patient.PatientProjection;
import org.clinical.projections.patient.PatientSummaryQueries;
import org.clinical.projections.readmodel.Read;
import org.clinical.infra.web.NotFoundException;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Where a read starts: the caller may touch the tenant (else 404), the read models have reached the
 * {@code X-Min-Position} the client asked for (waiting up to the configured time, then 503), and the read gets
 * the query pool of the tenant's region and the live schemas of the projections it reads.
 */
public class ReadModels {

    public static final String MIN_POSITION = StoredPosition.HEADER;
    /** The patients projection, which every list of a patient's records reads for its 404. */
    public static final String PATIENTS = PatientProjection.NAME;

    private final TenantAccess access;
    private final Generations generations;
    private final ProjectionPositions positions;
    private final Regions regions;
    private final Duration wait;

    public ReadModels(TenantAccess access, Generations generations, ProjectionPositions positions, Regions regions,
                      Duration wait) {
        this.access = access;
        this.generations = generations;
        this.positions = positions;
        this.regions = regions;
        this.wait = wait;
    }

    /**
     * @param minPosition the {@code X-Min-Position} header, or null
     * @param projections the projections the read uses: it waits for them only
     */
    public Read read(String tenantId, String minPosition, String... projections) {
        Tenant tenant = access.require(tenantId);
        awaitPosition(tenant, minPosition, List.of(projections));
        Map<String, String> schemas = java.util.Arrays.stream(projections)
                .collect(Collectors.toMap(p -> p, p -> generations.liveSchema(tenant, p)));
        return new Read(tenant, regions.region(tenant.region()).queryJdbc(), schemas);
    }

    private void awaitPosition(Tenant tenant, String header, List<String> projections) {
        if (header == null || header.isBlank()) {
            return;
        }
        long position = StoredPosition.parse(header);
        try {
            if (!positions.await(tenant, projections, position, wait)) {
                throw new ProjectionsBehindException("The read models", position);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProjectionsBehindException("The read models", position);
        }
    }

    /**
     * 404 for a patient the tenant's patients read model does not know at the read's position: the lists of a
     * patient's records answer from read models only, like every read (a client that just registered the
     * patient sends {@code X-Min-Position}). The read must use the {@code patients} projection.
     */
    public static void requireKnownPatient(Read read, UUID patientId) {
        if (!PatientSummaryQueries.known(read, patientId)) {
            throw new NotFoundException("No patient " + patientId);
        }
    }
}
