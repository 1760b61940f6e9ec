package org.clinical.platform.read.patient;

import com.fasterxml.jackson.databind.JsonNode;
import org.clinical.platform.read.AtPosition;
import org.clinical.platform.support.Api;
import org.clinical.platform.support.PlatformTest;
import org.junit.jupiter.api.Test;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Patient search: by any part of the names, ignoring case and accents, by prefix or fuzzily; by MRN and birth
 * date; cursor pages that neither lose nor repeat a patient while others are registered.
 */
class PatientSearchApiTest extends PlatformTest {

    @Test
    void a_name_is_found_by_any_part_whatever_its_case_and_accents() {
        String tenant = newTenant();
        String muller = register(tenant, "MRN-1", "Müller-Lüdenscheidt", "[\"Jean Luc\", \"Zoë\"]", "1961-04-02");
        String miller = register(tenant, "MRN-2", "Miller", "[\"Ann\"]", "1970-01-01");
        long position = registerRaw(tenant, "MRN-3", "Øster", "[\"Éloïse\"]", "1990-05-05").position();
        String oster = search(tenant, "mrn=MRN-3", position).get(0);

        assertThat(search(tenant, "name=muller", position)).contains(muller);
        assertThat(search(tenant, "name=LUDEN", position)).containsExactly(muller);
        assertThat(search(tenant, "name=" + encode("lüdenscheid"), position)).containsExactly(muller);
        assertThat(search(tenant, "name=luc", position)).containsExactly(muller);
        assertThat(search(tenant, "name=zoe", position)).containsExactly(muller);
        assertThat(search(tenant, "name=" + encode("jean müller"), position)).containsExactly(muller);
        assertThat(search(tenant, "name=" + encode("eloise oster"), position)).containsExactly(oster);
        assertThat(search(tenant, "name=" + encode("ann zoe"), position)).isEmpty();
        // fuzzy: trigram similarity >= 0.3 of a whole part
        assertThat(search(tenant, "name=mueller", position)).containsExactlyInAnyOrder(muller, miller);
        assertThat(search(tenant, "name=lidenscheid", position)).containsExactly(muller);
        assertThat(search(tenant, "name=xyz", position)).isEmpty();
    }

    @Test
    void mrn_and_birth_date_filter_and_combine_with_the_name() {
        String tenant = newTenant();
        String a = register(tenant, "MRN-A", "Lovelace", "[\"Ada\"]", "1980-12-10");
        String b = register(tenant, "MRN-B", "Lovelace", "[\"Byron\"]", "1985-01-01");
        Api.Response babbage = registerRaw(tenant, "MRN-C", "Babbage", "[\"Charles\"]", "1980-12-10");
        String c = babbage.body().get("patientId").asText();
        long position = babbage.position();

        assertThat(search(tenant, "mrn=MRN-B", position)).containsExactly(b);
        assertThat(search(tenant, "birthDate=1980-12-10&name=love", position)).containsExactly(a);
        assertThat(search(tenant, "birthDate=1980-12-10", position)).containsExactlyInAnyOrder(a, c);
        assertThat(search(tenant, "mrn=MRN-A&name=byron", position)).isEmpty();
        assertThat(search(tenant, "", position)).containsExactlyInAnyOrder(a, b, c);

        JsonNode item = api.get("/api/v1/" + tenant + "/patients?mrn=MRN-A").token(CLINICIAN).send()
                .body().at("/items/0");
        assertThat(item.get("patientId").asText()).isEqualTo(a);
        assertThat(item.get("mrn").asText()).isEqualTo("MRN-A");
        assertThat(item.at("/name/family").asText()).isEqualTo("Lovelace");
        assertThat(item.get("birthDate").asText()).isEqualTo("1980-12-10");
        assertThat(item.get("gender").asText()).isEqualTo("female");
        assertThat(item.get("active").asBoolean()).isTrue();
        assertThat(item.get("deceasedAt").isNull()).isTrue();
        assertThat(item.get("mergedInto").isNull()).isTrue();
    }

    @Test
    void bad_parameters_answer_400_naming_them() {
        String tenant = newTenant();
        assertBadParameter(tenant, "birthDate=1980-13-01", "birthDate");
        assertBadParameter(tenant, "limit=0", "limit");
        assertBadParameter(tenant, "limit=1001", "limit");
        assertBadParameter(tenant, "limit=ten", "limit");
        assertBadParameter(tenant, "cursor=%25%25%25", "cursor");
        assertBadParameter(tenant, "cursor=bm8tYmFy", "cursor");
        assertBadParameter(tenant, "name=a+b+c+d+e+f+g+h+i", "name");
    }

    /**
     * Between every two pages two more patients register: one whose name sorts before every page walked so far
     * (an offset would then repeat a patient) and one after them all. The cursor keeps the walk in order.
     */
    @Test
    void a_walk_through_the_pages_loses_and_repeats_no_patient_while_others_register() {
        String tenant = newTenant();
        Set<String> before = new HashSet<>();
        long position = 0;
        for (int i = 0; i < 30; i++) {
            Api.Response r = registerRaw(tenant, "MRN-" + i, "Walker", "[\"W" + (char) ('a' + i % 26) + i + "\"]",
                    "1980-01-01");
            before.add(r.body().get("patientId").asText());
            position = r.position();
        }
        List<String> walked = new ArrayList<>();
        List<String> givenNames = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            Api.Response page = AtPosition.get(api, "/api/v1/" + tenant + "/patients?name=walker&limit=4"
                    + (cursor == null ? "" : "&cursor=" + cursor), CLINICIAN, position);
            assertThat(page.status()).as(page.toString()).isEqualTo(200);
            assertThat(page.body().get("items").size()).isLessThanOrEqualTo(4);
            page.body().get("items").forEach(item -> {
                walked.add(item.get("patientId").asText());
                givenNames.add(item.at("/name/given/0").asText().toLowerCase(java.util.Locale.ROOT));
            });
            cursor = page.body().get("nextCursor").isNull() ? null : page.body().get("nextCursor").asText();
            registerRaw(tenant, "MRN-A" + pages, "Walker", "[\"Aa" + pages + "\"]", "1980-01-01");
            position = registerRaw(tenant, "MRN-Z" + pages, "Walker", "[\"Zz" + pages + "\"]", "1980-01-01")
                    .position();
            pages++;
        } while (cursor != null && pages < 100);

        assertThat(walked).doesNotHaveDuplicates();
        assertThat(walked).containsAll(before);
        assertThat(givenNames).isSorted();
        assertThat(givenNames).noneMatch(g -> g.startsWith("aa"));
        assertThat(pages).isBetween(8, 99);
    }

    private void assertBadParameter(String tenant, String query, String field) {
        assertBadParameter(api.get("/api/v1/" + tenant + "/patients?" + query).token(CLINICIAN).send(), field);
    }

    private List<String> search(String tenant, String query, long position) {
        Api.Response response = AtPosition.get(api, "/api/v1/" + tenant + "/patients?" + query, CLINICIAN, position);
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        List<String> ids = new ArrayList<>();
        response.body().get("items").forEach(item -> ids.add(item.get("patientId").asText()));
        return ids;
    }

    private String register(String tenant, String mrn, String family, String given, String birthDate) {
        return registerRaw(tenant, mrn, family, given, birthDate).body().get("patientId").asText();
    }

    private Api.Response registerRaw(String tenant, String mrn, String family, String given, String birthDate) {
        Api.Response created = api.post("/api/v1/" + tenant + "/patients").token(CLINICIAN).json("""
                {"mrn": "%s", "name": {"family": "%s", "given": %s}, "birthDate": "%s", "gender": "female"}"""
                .formatted(mrn, family, given, birthDate)).send();
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return created;
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }
}
