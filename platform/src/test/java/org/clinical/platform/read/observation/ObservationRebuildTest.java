package org.clinical.platform.read.observation;

import com.fasterxml.jackson.databind.JsonNode;
import org.clinical.platform.read.AtPosition;
import org.clinical.platform.support.Api;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A rebuild replays every event in batches of 1,000, so a record and its amendments or entry in error meet in one
 * batch (applied in memory) instead of in several (applied to the stored row): both must give the same read model,
 * statuses, reasons and versions included, and the same latest vital signs and statistics.
 */
class ObservationRebuildTest extends ObservationReadsSupport {

    @Test
    void a_rebuild_gives_the_same_observations_statistics_and_partitions_as_live_processing() {
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
        amend(tenant, ids.get(2), quantity(300, "mg/dL"));
        amend(tenant, ids.get(2), quantity(301, "mg/dL"));
        amend(tenant, ids.get(3), quantity(99, "/min"));
        enteredInError(tenant, ids.get(3));
        enteredInError(tenant, ids.get(39));
        // v = 38 is the newest heart rate (2025-03-26, as v = 14): entered in error, v = 14 is the latest again
        enteredInError(tenant, ids.get(37));
        long last = amend(tenant, ids.get(13), quantity(120, "/min")).position();

        Map<String, String> before = snapshot(tenant, patient, last);
        assertThat(liveSchema(tenant, "observations")).endsWith("_1");
        assertThat(before.get("statuses")).isEqualTo("amended=4, entered-in-error=3, final=33");
        assertThat(before.get("vitals")).contains(ids.get(13)).contains("\"status\":\"amended\"")
                .doesNotContain(ids.get(37));

        Api.Response started = api.post("/api/v1/" + tenant + "/projections/observations/rebuild").token(ADMIN)
                .send();
        assertThat(started.status()).as(started.toString()).isEqualTo(202);
        awaitGeneration(tenant, 2);

        assertThat(liveSchema(tenant, "observations")).endsWith("_2");
        Map<String, String> after = snapshot(tenant, patient, last);
        before.forEach((part, value) -> assertThat(after.get(part)).as(part).isEqualTo(value));
        assertThat(queryLong("select count(*) from pg_inherits where inhparent = ?::regclass",
                liveSchema(tenant, "observations") + ".observation")).isEqualTo(3);
        // Analyzed before going live, the partitions through their parent, and none has statistics of the value
        String schema = liveSchema(tenant, "observations");
        assertThat(queryLong("select count(*) from pg_stats where schemaname = ? and tablename like 'observation%'"
                + " and attname = 'patient_id' and not inherited", schema)).isEqualTo(3);
        assertThat(queryLong("select count(*) from pg_stats where schemaname = ? and tablename like 'observation%'"
                + " and attname = 'patient_id' and inherited", schema)).isEqualTo(1);
        assertThat(queryLong("select count(*) from pg_stats where schemaname = ? and tablename like 'observation%'"
                + " and attname in ('value', 'code_display')", schema)).isZero();
    }

    /** What the reads answer and what the read model holds, by part; {@code statuses} counts the list's statuses. */
    private Map<String, String> snapshot(String tenant, String patient, long position) {
        Map<String, String> parts = new TreeMap<>();
        List<JsonNode> items = items(list(tenant, patient, "?limit=1000", position));
        assertThat(items).hasSize(40);
        parts.put("list", items.toString());
        Map<String, Integer> statuses = new TreeMap<>();
        items.forEach(i -> statuses.merge(i.get("status").asText(), 1, Integer::sum));
        parts.put("statuses", statuses.toString().replaceAll("[{}]", ""));
        parts.put("lab by day", ok(stats(tenant, "?code=2345-7&groupBy=day", position)));
        parts.put("lab", ok(stats(tenant, "?code=2345-7", position)));
        parts.put("heart rate by facility", ok(stats(tenant, "?code=8867-4&groupBy=facility", position)));
        parts.put("heart rate", ok(stats(tenant, "?code=8867-4", position)));
        parts.put("vitals", ok(AtPosition.get(api, "/api/v1/" + tenant + "/patients/" + patient + "/vitals/latest",
                CLINICIAN, position)));
        String schema = liveSchema(tenant, "observations");
        parts.put("observation rows", rows(schema + ".observation", ""));
        parts.put("latest_vital rows", rows(schema + ".latest_vital", ""));
        // a rollup row brought down to 0 stays in the live model; a replay that applies the change in memory has none
        parts.put("observation_stat rows", rows(schema + ".observation_stat", "where count <> 0"));
        parts.put("observation_stat_bucket rows", rows(schema + ".observation_stat_bucket", "where count <> 0"));
        return parts;
    }

    /** Every column of every row, in a stable order. */
    private static String rows(String table, String filter) {
        return String.join("\n", queryStrings("select t::text from " + table + " t " + filter + " order by 1"));
    }

    private static String ok(Api.Response response) {
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        return response.body().toString();
    }

    /** Polls the admin list until the rebuild has switched over, for at most 60 s. */
    private void awaitGeneration(String tenant, int generation) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (true) {
            JsonNode items = api.get("/api/v1/" + tenant + "/projections").token(ADMIN).send().body().get("items");
            for (JsonNode item : items) {
                if (item.get("name").asText().equals("observations") && item.get("generation").asInt() == generation
                        && !item.get("rebuilding").asBoolean()) {
                    return;
                }
            }
            assertThat(Instant.now()).as("rebuild switched over within 60 s").isBefore(deadline);
            LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
        }
    }
}
