package org.clinical.platform.read.patient;

import io.micrometer.core.instrument.MeterRegistry;
import org.clinical.platform.read.AtPosition;
import org.clinical.platform.support.Api;
import org.clinical.platform.support.PlatformTest;
import org.clinical.platform.support.TestRedis;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Redis fast paths: a second read is a hit, a write evicts, and while Redis is down reads answer from
 * PostgreSQL; once it is back, what an eviction missed is never served.
 */
class PatientCacheTest extends PlatformTest {

    @Autowired
    MeterRegistry meters;

    @Test
    void a_second_read_of_the_summary_and_the_vitals_is_a_hit() {
        String tenant = newTenant();
        Api.Response registered = registerPatient(tenant, "MRN-1");
        String id = registered.body().get("patientId").asText();
        double summaryHits = count("summary", "hit");
        double vitalsHits = count("vitals", "hit");
        long summaryLookups = lookups("summary");
        long vitalsLookups = lookups("vitals");

        Api.Response first = summary(tenant, id, registered.position());
        Api.Response firstVitals = vitals(tenant, id, registered.position());
        assertThat(first.status()).as(first.toString()).isEqualTo(200);
        assertThat(firstVitals.status()).as(firstVitals.toString()).isEqualTo(200);
        String summaryKey = key(tenant, 0, id, "summary");
        String vitalsKey = key(tenant, 0, id, "vitals");
        assertThat(redis("GET", summaryKey)).isEqualTo("1\n" + first.raw().body());
        assertThat(redis("GET", vitalsKey)).endsWith("\n" + firstVitals.raw().body());
        Api.Response again = summary(tenant, id, registered.position());
        Api.Response vitalsAgain = vitals(tenant, id, registered.position());
        assertThat(again.raw().body()).isEqualTo(first.raw().body());
        assertThat(again.header("ETag")).isEqualTo("\"1\"");
        assertThat(vitalsAgain.raw().body()).isEqualTo(firstVitals.raw().body());
        assertThat(again.body().get("mrn").asText()).isEqualTo("MRN-1");

        // whatever Redis holds is the answer: the reads come from it
        markEntry(summaryKey);
        markEntry(vitalsKey);
        assertThat(summary(tenant, id, registered.position()).body().get("marker").asText()).isEqualTo(summaryKey);
        assertThat(vitals(tenant, id, registered.position()).body().get("marker").asText()).isEqualTo(vitalsKey);
        // the counters are the instance's, over every tenant: other tests' reads may add to them
        assertThat(count("summary", "hit")).isGreaterThanOrEqualTo(summaryHits + 2);
        assertThat(count("vitals", "hit")).isGreaterThanOrEqualTo(vitalsHits + 2);
        // every read's round trip to Redis is timed (the first, a miss, too): three of each
        assertThat(lookups("summary")).isGreaterThanOrEqualTo(summaryLookups + 3);
        assertThat(lookups("vitals")).isGreaterThanOrEqualTo(vitalsLookups + 3);
    }

    @Test
    void a_write_evicts_the_cached_summary() {
        String tenant = newTenant();
        Api.Response registered = registerPatient(tenant, "MRN-1");
        String id = registered.body().get("patientId").asText();
        summary(tenant, id, registered.position());
        assertThat(summary(tenant, id, registered.position()).body().at("/name/family").asText()).isEqualTo("Lovelace");

        Api.Response updated = rename(tenant, id, "Byron");

        Api.Response read = summary(tenant, id, updated.position());
        assertThat(read.body().at("/name/family").asText()).isEqualTo("Byron");
        assertThat(read.header("ETag")).isEqualTo("\"2\"");
    }

    @Test
    void while_redis_is_down_reads_answer_from_postgres_and_afterwards_no_stale_entry_is_served() {
        String tenant = newTenant();
        Api.Response registered = registerPatient(tenant, "MRN-1");
        String id = registered.body().get("patientId").asText();
        summary(tenant, id, registered.position());
        String key = "clinical:{" + tenant + "}:e0:patient:" + id + ":summary";
        String stale = redis("GET", key);
        assertThat(stale).contains("Lovelace");

        TestRedis.stop();
        Api.Response updated;
        try {
            updated = rename(tenant, id, "Byron");
            for (int i = 0; i < 3; i++) {
                Api.Response read = summary(tenant, id, updated.position());
                assertThat(read.status()).as(read.toString()).isEqualTo(200);
                assertThat(read.body().at("/name/family").asText()).isEqualTo("Byron");
            }
        } finally {
            TestRedis.start();
        }
        // as if Redis had kept its data through the outage: the entry the failed eviction missed is back
        redis("SET", key, stale);

        // the tenant's epoch is raised before Redis is read again: entries of the new epoch are filled and served
        String fresh = key(tenant, 1, id, "summary");
        Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
        while (!redis("EXISTS", fresh).equals("1")) {
            Api.Response read = summary(tenant, id, updated.position());
            assertThat(read.status()).as(read.toString()).isEqualTo(200);
            assertThat(read.body().at("/name/family").asText()).isEqualTo("Byron");
            assertThat(Instant.now()).as("reads filling Redis again").isBefore(deadline);
            LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
        }
        markEntry(fresh);
        assertThat(summary(tenant, id, updated.position()).body().get("marker").asText()).isEqualTo(fresh);
        assertThat(redis("GET", "clinical:{" + tenant + "}:epoch")).isEqualTo("1");
    }

    private Api.Response rename(String tenant, String id, String family) {
        Api.Response updated = api.put("/api/v1/" + tenant + "/patients/" + id + "/demographics").token(CLINICIAN)
                .json("""
                        {"name": {"family": "%s", "given": ["Ada"]}, "birthDate": "1980-12-10", "gender": "female"}"""
                        .formatted(family)).send();
        assertThat(updated.status()).as(updated.toString()).isEqualTo(200);
        return updated;
    }

    private Api.Response summary(String tenant, String id, long position) {
        return AtPosition.get(api, "/api/v1/" + tenant + "/patients/" + id, CLINICIAN, position);
    }

    private Api.Response vitals(String tenant, String id, long position) {
        return AtPosition.get(api, "/api/v1/" + tenant + "/patients/" + id + "/vitals/latest", CLINICIAN, position);
    }

    private static String key(String tenant, int epoch, String patientId, String part) {
        return "clinical:{" + tenant + "}:e" + epoch + ":patient:" + patientId + ":" + part;
    }

    /** Replaces the cached JSON of an entry (kept as {@code <version>\\n<json>}) by {@code {"marker": <key>}}. */
    private static void markEntry(String key) {
        String stored = redis("GET", key);
        assertThat(stored).as(key).contains("\n");
        redis("SET", key, stored.substring(0, stored.indexOf('\n')) + "\n{\"marker\": \"" + key + "\"}");
    }

    private double count(String cache, String result) {
        return meters.counter("clinical.cache.requests", "cache", cache, "result", result).count();
    }

    private long lookups(String cache) {
        return meters.timer("clinical.cache.lookup", "cache", cache).count();
    }

    /** A command to the test's redis-server through redis-cli; answers its raw output, trimmed. */
    private static String redis(String... command) {
        String[] args = new String[command.length + 4];
        args[0] = "redis-cli";
        args[1] = "-p";
        args[2] = String.valueOf(TestRedis.PORT);
        args[3] = "--raw";
        System.arraycopy(command, 0, args, 4, command.length);
        try {
            Process process = new ProcessBuilder(args).redirectErrorStream(true).start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            process.waitFor();
            return out;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
