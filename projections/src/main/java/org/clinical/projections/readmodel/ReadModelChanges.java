package org.clinical.projections.readmodel;

import org.clinical.infra.tenant.Tenant;

import java.util.Collection;

/**
 * Told after read-model transactions commit, so caches never answer older than the read models: which
 * patients' reads changed, and which projection was switched to a rebuilt generation.
 */
public interface ReadModelChanges {

    void patientsChanged(Tenant tenant, Collection<String> patientIds);

    void rebuilt(Tenant tenant, String projection);
}
