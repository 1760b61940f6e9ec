package org.clinical.platform.read.encounter;

import com.fasterxml.jackson.databind.JsonNode;
import org.clinical.platform.support.Api;
import org.clinical.platform.support.Tokens;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import static org.assertj.core.api.Assertions.assertThat;

class EncounterDailyAnalyticsTest extends EncounterReads {

    private static final String EU_ANALYST = Tokens.sign(Tokens.SECRET, "analyst-eu", List.of("analyst"),
            List.of("*"), List.of("eu"), Instant.now().plusSeconds(3600));
    private static final String HOME_ANALYST = Tokens.sign(Tokens.SECRET, "analyst-home", List.of("analyst"),
            List.of("*"), List.of("default"), Instant.now().plusSeconds(3600));

    @Test
    void encounters_are_counted_by_utc_start_day_with_facility_and_class_filters_and_without_cancelled_ones() {
        String tenant = newTenant();
        String general = newFacility(tenant, "GEN");
        String clinic = newFacility(tenant, "CLI");
        String patient = newPatient(tenant, "MRN-1");
        start(tenant, patient, general, "AMB", "A", "2025-03-01T00:30:00+01:00"); // 2025-02-28 in UTC
        start(tenant, patient, general, "AMB", "A", "2025-03-01T08:00:00Z");
        start(tenant, patient, general, "EMER", "ED", "2025-03-01T23:59:59Z");
        start(tenant, patient, clinic, "AMB", "B", "2025-03-01T12:00:00Z");
        start(tenant, patient, clinic, "AMB", "B", "2025-03-03T12:00:00Z");
        String wrong = id(start(tenant, patient, general, "EMER", "ED", "2025-03-03T09:00:00Z"));
        long position = cancel(tenant, wrong);
        String daily = "/api/v1/" + tenant + "/analytics/encounters/daily?from=2025-02-28&to=2025-03-03";

        assertThat(days(read(daily, ANALYST, position)))
                .isEqualTo(Map.of("2025-02-28", 1L, "2025-03-01", 3L, "2025-03-03", 1L));
        assertThat(days(read(daily + "&facilityId=" + general, ANALYST, position)))
                .isEqualTo(Map.of("2025-02-28", 1L, "2025-03-01", 2L));
        assertThat(days(read(daily + "&facilityId=" + clinic + "&class=AMB", ANALYST, position)))
                .isEqualTo(Map.of("2025-03-01", 1L, "2025-03-03", 1L));
        assertThat(days(read(daily + "&class=EMER", ANALYST, position))).isEqualTo(Map.of("2025-03-01", 1L));
        assertThat(days(read("/api/v1/" + tenant + "/analytics/encounters/daily?from=2025-03-01&to=2025-03-01",
                ANALYST, position))).isEqualTo(Map.of("2025-03-01", 3L));
        assertThat(read(daily, ANALYST, position).body().get("items").get(0).get("day").asText())
                .isEqualTo("2025-02-28");
    }

    /**
     * A region's sums take in every tenant of the region that any test class created in this run's databases: the
     * test counts days that no other test uses (a random run of three days in 1910-1949), so what it sums is its
     * own tenants' only, whatever ran before or runs beside it.
     */
    @Test
    void a_region_sums_the_days_of_its_tenants_only_for_a_token_holding_the_region() {
        LocalDate first = LocalDate.of(1910, 1, 1).plusDays(ThreadLocalRandom.current().nextInt(40 * 365));
        List<LocalDate> dates = List.of(first, first.plusDays(1), first.plusDays(2));
        String euOne = euTenant();
        String euTwo = euTenant();
        String home = newTenant();
        Map<String, Long> positions = Map.of(
                euOne, encountersOn(euOne, dates.get(0), dates.get(2)),
                euTwo, encountersOn(euTwo, dates.get(0), dates.get(2)),
                home, encountersOn(home, dates.get(1), dates.get(2)));
        String range = "?from=" + dates.get(0) + "&to=" + dates.get(2);
        positions.forEach((tenant, position) -> assertThat(days(read("/api/v1/" + tenant
                + "/analytics/encounters/daily" + range, ANALYST, position))).hasSize(2));

        Api.Response eu = api.get("/api/v1/regions/eu/analytics/encounters/daily" + range).token(EU_ANALYST).send();
        Api.Response homeRegion = api.get("/api/v1/regions/default/analytics/encounters/daily" + range)
                .token(HOME_ANALYST).send();

        assertThat(days(eu)).isEqualTo(Map.of(dates.get(0).toString(), 2L, dates.get(2).toString(), 2L));
        assertThat(days(homeRegion)).isEqualTo(Map.of(dates.get(1).toString(), 1L, dates.get(2).toString(), 1L));
        assertProblem(api.get("/api/v1/regions/eu/analytics/encounters/daily" + range).token(HOME_ANALYST).send(),
                403);
        assertProblem(api.get("/api/v1/regions/mars/analytics/encounters/daily" + range).token(ANALYST).send(),
                404);
        assertProblem(api.get("/api/v1/regions/eu/analytics/encounters/daily" + range).token(CLINICIAN).send(),
                403);
    }

    @Test
    void bad_parameters_answer_400_naming_them() {
        String tenant = newTenant();
        String daily = "/api/v1/" + tenant + "/analytics/encounters/daily";

        assertBadParameter(daily + "?to=2025-03-01", "from");
        assertBadParameter(daily + "?from=2025-03-01", "to");
        assertBadParameter(daily + "?from=01/03/2025&to=2025-03-02", "from");
        assertBadParameter(daily + "?from=2025-03-02&to=2025-03-01", "to");
        assertBadParameter(daily + "?from=+2025-03-01&to=2025-03-02", "from");
        assertBadParameter(daily + "?from=2025-03-01&to=2025-03-02&limit=1001", "limit");
        assertBadParameter(daily + "?from=2025-03-01&to=2025-03-02&cursor=not-base64!", "cursor");
        assertBadParameter(daily + "?from=2025-03-01&to=2025-03-02&class=XYZ", "class");
        assertBadParameter(daily + "?from=2025-03-01&to=2025-03-02&facilityId=GEN", "facilityId");
        assertBadParameter("/api/v1/regions/eu/analytics/encounters/daily?from=2025-03-02&to=2025-03-01", "to");
    }

    @Test
    void another_tenant_counts_nothing_of_this_one() {
        String tenant = newTenant();
        String other = newTenant();
        long position = twoEncounters(tenant);
        String otherAnalyst = Tokens.token("analyst-other", List.of("analyst"), List.of(other));
        read("/api/v1/" + tenant + "/analytics/encounters/daily?from=2025-03-01&to=2025-03-31", ANALYST, position);

        assertThat(api.get("/api/v1/" + other + "/analytics/encounters/daily?from=2025-03-01&to=2025-03-31")
                .token(otherAnalyst).send().body().get("items")).isEmpty();
        assertProblem(api.get("/api/v1/" + tenant + "/analytics/encounters/daily?from=2025-03-01&to=2025-03-31")
                .token(otherAnalyst).send(), 404);
    }

    private void assertBadParameter(String path, String field) {
        assertBadParameter(api.get(path).token(ANALYST).send(), field);
    }

    /** One encounter on 2025-03-02 and one on 2025-03-04, plus a cancelled one on 2025-03-04. */
    private long twoEncounters(String tenant) {
        String facility = newFacility(tenant, "GEN");
        String patient = newPatient(tenant, "MRN-" + UUID.randomUUID());
        start(tenant, patient, facility, "AMB", "A", "2025-03-02T10:00:00Z");
        start(tenant, patient, facility, "IMP", "W", "2025-03-04T10:00:00Z");
        return cancel(tenant, id(start(tenant, patient, facility, "AMB", "A", "2025-03-04T11:00:00Z")));
    }

    /** One encounter started on each day, plus one on the second day that is cancelled; answers the last position. */
    private long encountersOn(String tenant, LocalDate day, LocalDate other) {
        String facility = newFacility(tenant, "GEN");
        String patient = newPatient(tenant, "MRN-" + UUID.randomUUID());
        start(tenant, patient, facility, "AMB", "A", day + "T10:00:00Z");
        start(tenant, patient, facility, "EMER", "E", other + "T10:00:00Z");
        return cancel(tenant, id(start(tenant, patient, facility, "AMB", "A", other + "T11:00:00Z")));
    }

    private String euTenant() {
        String id = "eu" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        Api.Response created = api.post("/api/v1/tenants").token(ADMIN)
                .json(Map.of("id", id, "name", "Klinik " + id, "region", "eu")).send();
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return id;
    }

    private static Map<String, Long> days(Api.Response response) {
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        Map<String, Long> days = new java.util.LinkedHashMap<>();
        for (JsonNode item : response.body().get("items")) {
            days.put(item.get("day").asText(), item.get("count").asLong());
        }
        return days;
    }
}
