package org.clinical.platform;

import com.fasterxml.jackson.databind.JsonNode;
import org.clinical.platform.read.AtPosition;
import org.clinical.platform.support.Api;
import org.clinical.platform.support.PlatformTest;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class FacilityApiTest extends PlatformTest {

    private Api.Response register(String tenant, String token, Object body) {
        return api.post("/api/v1/" + tenant + "/facilities").token(token).json(body).send();
    }

    private static List<String> fields(Api.Response problem) {
        List<String> fields = new ArrayList<>();
        problem.body().get("errors").forEach(error -> fields.add(error.get("field").asText()));
        return fields;
    }

    @Test
    void registering_a_facility_answers_201_with_its_id_and_the_event_position() {
        String tenant = newTenant();

        Api.Response created = register(tenant, ADMIN,
                Map.of("code", "GEN", "name", "General Hospital", "type", "hospital", "beds", 250));

        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        UUID facilityId = UUID.fromString(created.body().get("facilityId").asText());
        assertThat(created.position()).isEqualTo(queryLong("select max(global_index) from " + schema(tenant)
                + ".domain_event_entry"));
        assertThat(queryLong("select count(*) from " + schema(tenant) + ".domain_event_entry"
                + " where payload_type = 'FacilityRegistered' and aggregate_identifier = ?",
                facilityId.toString())).isEqualTo(1);
        assertThat(queryString("select code from " + schema(tenant) + ".facility_registry where facility_id = ?",
                facilityId)).isEqualTo("GEN");
    }

    @Test
    void a_code_is_unique_within_a_tenant_but_free_in_another_tenant() {
        String tenant = newTenant();
        String other = newTenant();
        newFacility(tenant, "LAB-1");
        long events = eventCount(tenant);

        Api.Response duplicate = register(tenant, ADMIN, Map.of("code", "LAB-1", "name", "Again", "type", "lab"));
        Api.Response elsewhere = register(other, ADMIN, Map.of("code", "LAB-1", "name", "Theirs", "type", "lab"));

        assertProblem(duplicate, 409);
        assertThat(duplicate.body().get("type").asText()).contains("facility-code-taken");
        assertThat(eventCount(tenant)).isEqualTo(events);
        assertThat(rowCount(tenant, "facility_registry")).isEqualTo(1);
        assertThat(elsewhere.status()).as(elsewhere.toString()).isEqualTo(201);
        assertThat(eventCount(other, "FacilityRegistered")).isEqualTo(1);
    }

    @Test
    void an_unknown_type_or_a_missing_name_is_refused_with_field_errors() {
        String tenant = newTenant();

        Api.Response badType = register(tenant, ADMIN, Map.of("code", "X1", "name", "X", "type", "spaceport"));
        Api.Response noName = register(tenant, ADMIN, Map.of("code", "X2", "type", "clinic"));
        Api.Response negativeBeds = register(tenant, ADMIN,
                Map.of("code", "X3", "name", "X", "type", "clinic", "beds", -1));

        assertProblem(badType, 400);
        assertThat(fields(badType)).containsExactly("type");
        assertProblem(noName, 400);
        assertThat(fields(noName)).containsExactly("name");
        assertProblem(negativeBeds, 400);
        assertThat(fields(negativeBeds)).containsExactly("beds");
        assertThat(eventCount(tenant)).isEqualTo(1);
        assertThat(rowCount(tenant, "facility_registry")).isZero();
    }

    @Test
    void a_clinician_may_not_register_a_facility() {
        String tenant = newTenant();

        Api.Response refused = register(tenant, CLINICIAN, Map.of("code", "GEN", "name", "General", "type", "hospital"));

        assertProblem(refused, 403);
        assertThat(eventCount(tenant)).isEqualTo(1);
    }

    @Test
    void the_list_returns_the_facilities_and_its_cursor_walks_every_page_without_loss_or_duplicates() {
        String tenant = newTenant();
        List<String> codes = List.of("E", "B", "D", "A", "C");
        List<String> ids = new ArrayList<>();
        long position = -1;
        for (String code : codes) {
            Api.Response created = register(tenant, ADMIN, Map.of("code", code, "name", "Facility " + code,
                    "type", "hospital", "beds", 120));
            assertThat(created.status()).as(created.toString()).isEqualTo(201);
            ids.add(created.body().get("facilityId").asText());
            position = created.position();
        }

        Api.Response all = AtPosition.get(api, "/api/v1/" + tenant + "/facilities", ADMIN, position);
        assertThat(all.status()).as(all.toString()).isEqualTo(200);
        assertThat(all.body().get("items")).hasSize(5);
        assertThat(all.body().get("nextCursor").isNull()).isTrue();
        JsonNode first = all.body().get("items").get(0);
        assertThat(first.get("code").asText()).isEqualTo("A");
        assertThat(first.get("facilityId").asText()).isEqualTo(ids.get(3));
        assertThat(first.get("type").asText()).isEqualTo("hospital");
        assertThat(first.get("beds").asInt()).isEqualTo(120);

        List<String> walked = new ArrayList<>();
        List<Integer> pageSizes = new ArrayList<>();
        String cursor = null;
        do {
            Api.Response page = api.get("/api/v1/" + tenant + "/facilities?limit=2"
                    + (cursor == null ? "" : "&cursor=" + cursor)).token(ADMIN).send();
            assertThat(page.status()).as(page.toString()).isEqualTo(200);
            page.body().get("items").forEach(item -> walked.add(item.get("facilityId").asText()));
            pageSizes.add(page.body().get("items").size());
            JsonNode next = page.body().get("nextCursor");
            cursor = next == null || next.isNull() ? null : next.asText();
            assertThat(pageSizes).hasSizeLessThanOrEqualTo(5);
        } while (cursor != null);

        assertThat(pageSizes).containsExactly(2, 2, 1);
        assertThat(walked).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(ids);
    }

    @Test
    void the_list_reads_the_facilities_read_model_at_the_registration_position() {
        String tenant = newTenant();
        Api.Response created = register(tenant, ADMIN, Map.of("code", "GEN", "name", "General", "type", "clinic"));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        String id = created.body().get("facilityId").asText();

        Api.Response listed = AtPosition.get(api, "/api/v1/" + tenant + "/facilities", CLINICIAN, created.position());

        assertThat(listed.status()).as(listed.toString()).isEqualTo(200);
        JsonNode item = listed.body().get("items").get(0);
        assertThat(item.get("facilityId").asText()).isEqualTo(id);
        assertThat(item.get("type").asText()).isEqualTo("clinic");
        assertThat(item.get("beds").isNull()).isTrue();
        Instant registeredAt = Instant.parse(item.get("registeredAt").asText());
        assertThat(registeredAt.getEpochSecond() * 1_000_000 + registeredAt.getNano() / 1000).isEqualTo(queryLong(
                "select (extract(epoch from registered_at) * 1000000)::bigint from " + schema(tenant)
                        + ".facility_registry"));
        assertThat(queryLong("select count(*) from " + liveSchema(tenant, "facilities") + ".facility f join "
                + schema(tenant) + ".facility_registry r using (facility_id, code, registered_at) where f.version = 1"))
                .as("the read model's row, version 1, at the registration's time").isEqualTo(1);
    }

    @Test
    void a_limit_below_1_or_above_1000_is_refused() {
        String tenant = newTenant();

        Api.Response zero = api.get("/api/v1/" + tenant + "/facilities?limit=0").token(ADMIN).send();
        Api.Response tooMany = api.get("/api/v1/" + tenant + "/facilities?limit=1001").token(ADMIN).send();
        Api.Response max = api.get("/api/v1/" + tenant + "/facilities?limit=1000").token(ADMIN).send();

        assertProblem(zero, 400);
        assertThat(fields(zero)).containsExactly("limit");
        assertProblem(tooMany, 400);
        assertThat(fields(tooMany)).containsExactly("limit");
        assertThat(max.status()).isEqualTo(200);
    }
}
