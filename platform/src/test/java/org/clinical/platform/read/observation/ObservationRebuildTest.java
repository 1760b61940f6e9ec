package org.clinical.platform.read.observation;

import com.fasterxml.jackson.databind.JsonNode;
import org.clinical.infra.tenant.TenantDirectory;
import org.clinical.projections.readmodel.Generations;
import org.clinical.projections.rebuild.ProjectionRebuilds;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A rebuild replays every event in batches of 1,000, so a record and its amendment or entry in error meet in one
 * batch (applied in memory) instead of in two (applied to the stored row): both must give the same read model.
 * (Started through the bean: the admin rebuild endpoint belongs to another part of the read side.)
 */
class ObservationRebuildTest extends ObservationReadsSupport {

    @Autowired
    ProjectionRebuilds rebuilds;
    @Autowired
    Generations generations;
    @Autowired
    TenantDirectory tenants;

    @Test
    void a_rebuild_gives_the_same_observations_statistics_and_partitions_as_live_processing() throws Exception {
        String tenant = newTenant();
        String patient = newPatient(tenant, "MRN-1");
        String encounter = newEncounter(tenant, patient, newFacility(tenant, "GEN"), "AMB");
        List<String> observations = new ArrayList<>();
        for (int v = 1; v <= 40; v++) {
            observations.add(observation(patient, v % 3 == 0 ? encounter : null, v % 2 == 0 ? "8867-4" : "2345-7",
                    v % 2 == 0 ? "vital-signs" : "laboratory", "2025-0%d-2%dT09:00:00Z".formatted(1 + v % 3, v % 8),
                    quantity(50 + v, v % 2 == 0 ? "/min" : "mg/dL")));
        }
        List<String> ids = resultIds(batch(tenant, observations));
        amend(tenant, ids.get(0), quantity(500, "mg/dL"));
        amend(tenant, ids.get(1), "{\"string\": \"not measured\"}");
        enteredInError(tenant, ids.get(39));
        long last = enteredInError(tenant, ids.get(37)).position();

        String before = snapshot(tenant, patient, last);
        assertThat(liveSchema(tenant, "observations")).endsWith("_1");

        assertThat(rebuilds.start(tenants.require(tenant), generations.readModel("observations").orElseThrow()))
                .isTrue();
        awaitGeneration(tenant, 2);

        assertThat(snapshot(tenant, patient, last)).isEqualTo(before);
        assertThat(queryLong("select count(*) from pg_inherits where inhparent = ?::regclass",
                liveSchema(tenant, "observations") + ".observation")).isEqualTo(3);
    }

    private String snapshot(String tenant, String patient, long position) {
        JsonNode list = list(tenant, patient, "?limit=1000", position).body();
        JsonNode lab = stats(tenant, "?code=2345-7&groupBy=day", position).body();
        JsonNode heart = stats(tenant, "?code=8867-4&groupBy=facility", position).body();
        String vitals = String.join(",", queryStrings("select observation_id || ':' || value::text from "
                + liveSchema(tenant, "observations") + ".latest_vital order by code"));
        return list + "\n" + lab + "\n" + heart + "\n" + vitals;
    }

    /** Polls the live generation (a rebuild switches over on its own schedule), for at most 30 s. */
    private static void awaitGeneration(String tenant, int generation) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (queryLong("select live from " + schema(tenant) + ".projection_generation where name = 'observations'")
                < generation) {
            assertThat(System.nanoTime()).as("rebuild switched over within 30 s").isLessThan(deadline);
            Thread.sleep(50);
        }
    }
}
