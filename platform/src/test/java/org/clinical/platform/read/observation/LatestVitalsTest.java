package org.clinical.platform.read.observation;

import org.clinical.infra.region.Regions;
import org.clinical.infra.tenant.Tenant;
import org.clinical.infra.tenant.TenantDirectory;
import org.clinical.query.patient.SummaryParts.LatestVitalsLookup;
import org.clinical.query.patient.SummaryParts.VitalSign;
import org.clinical.query.web.ReadModels.Read;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The LatestVitalsLookup bean, after waiting for the observations read model through the list's X-Min-Position. */
class LatestVitalsTest extends ObservationReadsSupport {

    @Autowired
    LatestVitalsLookup lookup;
    @Autowired
    TenantDirectory tenants;
    @Autowired
    Regions regions;

    @Test
    void the_latest_vital_falls_back_after_entry_in_error_and_shows_an_amended_value() {
        String tenant = newTenant();
        String patient = newPatient(tenant, "MRN-1");
        List<String> ids = resultIds(batch(tenant, List.of(
                observation(patient, null, "8867-4", "vital-signs", "2025-03-01T08:00:00Z", quantity(80, "/min")),
                observation(patient, null, "8867-4", "vital-signs", "2025-03-01T09:00:00Z", quantity(90, "/min")),
                observation(patient, null, "8310-5", "vital-signs", "2025-03-01T09:00:00Z", quantity(37.2, "Cel")),
                observation(patient, null, "2345-7", "laboratory", "2025-03-01T10:00:00Z", quantity(95, "mg/dL")))));
        long position = record(tenant, observation(patient, null, "8867-4", "vital-signs", "2025-03-01T07:00:00Z",
                quantity(70, "/min"))).position();

        List<VitalSign> vitals = vitals(tenant, patient, position);
        assertThat(vitals).extracting(v -> v.code().get("code").asText()).containsExactly("8310-5", "8867-4");
        assertThat(vitals.get(0).value().get("quantity").get("value").decimalValue()).isEqualByComparingTo("37.2");
        VitalSign heart = vitals.get(1);
        assertThat(heart.observationId()).hasToString(ids.get(1));
        assertThat(heart.value().get("quantity").get("value").asInt()).isEqualTo(90);
        assertThat(heart.status()).isEqualTo("final");
        assertThat(heart.effectiveAt()).hasToString("2025-03-01T09:00:00Z");

        position = enteredInError(tenant, ids.get(1)).position();
        heart = vitals(tenant, patient, position).get(1);
        assertThat(heart.observationId()).hasToString(ids.get(0));
        assertThat(heart.value().get("quantity").get("value").asInt()).isEqualTo(80);

        position = amend(tenant, ids.get(0), quantity(85, "/min")).position();
        heart = vitals(tenant, patient, position).get(1);
        assertThat(heart.observationId()).hasToString(ids.get(0));
        assertThat(heart.value().get("quantity").get("value").asInt()).isEqualTo(85);
        assertThat(heart.status()).isEqualTo("amended");

        position = enteredInError(tenant, ids.get(2)).position();
        assertThat(vitals(tenant, patient, position)).extracting(v -> v.code().get("code").asText())
                .containsExactly("8867-4");
    }

    @Test
    void entering_the_only_vital_in_error_leaves_no_latest_vital_but_keeps_it_in_the_list() {
        String tenant = newTenant();
        String patient = newPatient(tenant, "MRN-1");
        String oldest = record(tenant, heartRate(patient, null, 66)).body().get("observationId").asText();
        long position = enteredInError(tenant, oldest).position();
        assertThat(vitals(tenant, patient, position)).isEmpty();
        assertThat(items(list(tenant, patient, "", position)).get(0).get("status").asText())
                .isEqualTo("entered-in-error");
    }

    private List<VitalSign> vitals(String tenant, String patient, long position) {
        assertThat(list(tenant, patient, "", position).status()).isEqualTo(200);
        Tenant t = tenants.require(tenant);
        Read read = new Read(t, regions.region(t.region()).queryJdbc(),
                Map.of("observations", liveSchema(tenant, "observations")));
        return lookup.latestVitals(read, UUID.fromString(patient));
    }
}
