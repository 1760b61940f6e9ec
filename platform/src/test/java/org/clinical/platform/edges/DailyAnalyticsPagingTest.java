package org.clinical.platform.edges;

import com.fasterxml.jackson.databind.JsonNode;
import org.clinical.platform.support.Api;
import org.clinical.platform.support.PlatformTest;
import org.clinical.platform.support.Tokens;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Daily encounter counts answer any range of days, a page of days at a time, for a tenant and a region. */
class DailyAnalyticsPagingTest extends PlatformTest {

    private static final String EU_ONLY = Tokens.sign(Tokens.SECRET, "analyst-eu", List.of("analyst"),
            List.of("*"), List.of("eu"), Instant.now().plusSeconds(3600));

    @Test
    void decades_of_days_are_answered_page_by_page() {
        String tenant = newTenant();
        String facility = newFacility(tenant, "GEN");
        String patient = newPatient(tenant, "MRN-1");
        long position = 0;
        for (String day : List.of("1985-02-01", "1999-12-31", "2012-07-14", "2025-03-01", "2025-03-01")) {
            Api.Response started = api.post("/api/v1/" + tenant + "/encounters").token(CLINICIAN).json("""
                    {"patientId": "%s", "class": "AMB", "facilityId": "%s", "startedAt": "%sT10:00:00Z"}"""
                    .formatted(patient, facility, day)).send();
            assertThat(started.status()).as(started.toString()).isEqualTo(201);
            position = started.position();
        }
        String daily = "/api/v1/" + tenant + "/analytics/encounters/daily?from=1900-01-01&to=2025-12-31&limit=2";

        List<JsonNode> pages = pages(daily, position);

        assertThat(pages).hasSize(2);
        assertThat(days(pages)).containsExactly("1985-02-01=1", "1999-12-31=1", "2012-07-14=1", "2025-03-01=2");
        assertThat(pages.get(1).get("nextCursor").isNull()).isTrue();
        assertThat(days(pages(daily.replace("limit=2", "limit=1000"), position))).hasSize(4);
        String pastTheEnd = daily + "&cursor=" + Base64.getUrlEncoder().withoutPadding()
                .encodeToString("9999-12-31".getBytes(StandardCharsets.UTF_8));
        assertThat(api.get(pastTheEnd).token(ANALYST).send().body().get("items")).isEmpty();
        String stranger = Tokens.token("analyst-other", List.of("analyst"), List.of("another-tenant"));
        assertProblem(api.get(pastTheEnd).token(stranger).send(), 404);
    }

    @Test
    void a_region_pages_its_days_and_refuses_a_token_without_it() {
        String tenant = "eu" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        assertThat(api.post("/api/v1/tenants").token(ADMIN)
                .json(Map.of("id", tenant, "name", "Klinik", "region", "eu")).send().status()).isEqualTo(201);
        String facility = newFacility(tenant, "GEN");
        String patient = newPatient(tenant, "MRN-1");
        long position = 0;
        // a random leap year of the 19th century, which no other class uses: no other eu encounter shares its days
        int year = 1804 + java.util.concurrent.ThreadLocalRandom.current().nextInt(24) * 4;
        List<String> ownDays = List.of(year + "-01-01", year + "-02-29", year + "-12-31");
        for (String day : ownDays) {
            position = api.post("/api/v1/" + tenant + "/encounters").token(CLINICIAN).json("""
                    {"patientId": "%s", "class": "EMER", "facilityId": "%s", "startedAt": "%sT10:00:00Z"}"""
                    .formatted(patient, facility, day)).send().position();
        }
        awaitEncounters(tenant, position);
        String region = "/api/v1/regions/eu/analytics/encounters/daily?from=" + year + "-01-01&to=" + year
                + "-12-31&limit=1";

        List<String> days = days(pagesWith(region, EU_ONLY));

        assertThat(days).containsExactlyElementsOf(ownDays.stream().map(day -> day + "=1").toList());
        String homeOnly = Tokens.sign(Tokens.SECRET, "analyst-home", List.of("analyst"), List.of("*"),
                List.of("default"), Instant.now().plusSeconds(3600));
        assertProblem(api.get(region).token(homeOnly).send(), 403);
        assertProblem(api.get(region.replace("/eu/", "/mars/")).token(homeOnly).send(), 403);
        assertProblem(api.get(region.replace("/eu/", "/mars/")).token(ANALYST).send(), 404);
    }

    /** Waits (by position, at most 30 s) until the tenant's encounter read model holds the position. */
    private void awaitEncounters(String tenant, long position) {
        awaitRead("/api/v1/" + tenant + "/analytics/encounters/daily?from=1960-01-01&to=2024-12-31", position);
    }

    private void awaitRead(String daily, long position) {
        Instant deadline = Instant.now().plusSeconds(30);
        while (api.get(daily).token(ANALYST).header("X-Min-Position", Long.toString(position)).send().status()
                == 503) {
            assertThat(Instant.now()).as("read models at the position within 30 s").isBefore(deadline);
        }
    }

    private List<JsonNode> pages(String path, long position) {
        List<JsonNode> pages = new ArrayList<>();
        String cursor = null;
        do {
            String next = path + (cursor == null ? "" : "&cursor=" + cursor);
            if (pages.isEmpty()) {
                awaitRead(next, position);
            }
            Api.Response page = api.get(next).token(ANALYST).header("X-Min-Position", Long.toString(position)).send();
            assertThat(page.status()).as(page.toString()).isEqualTo(200);
            pages.add(page.body());
            cursor = page.body().get("nextCursor").isNull() ? null : page.body().get("nextCursor").asText();
        } while (cursor != null && pages.size() < 100);
        return pages;
    }

    private List<JsonNode> pagesWith(String path, String token) {
        List<JsonNode> pages = new ArrayList<>();
        String cursor = null;
        do {
            Api.Response page = api.get(path + (cursor == null ? "" : "&cursor=" + cursor)).token(token).send();
            assertThat(page.status()).as(page.toString()).isEqualTo(200);
            assertThat(page.body().get("items").size()).isLessThanOrEqualTo(1);
            pages.add(page.body());
            cursor = page.body().get("nextCursor").isNull() ? null : page.body().get("nextCursor").asText();
        } while (cursor != null && pages.size() < 100);
        return pages;
    }

    private static List<String> days(List<JsonNode> pages) {
        List<String> days = new ArrayList<>();
        pages.forEach(page -> page.get("items").forEach(item ->
                days.add(item.get("day").asText() + "=" + item.get("count").asLong())));
        return days;
    }
}
