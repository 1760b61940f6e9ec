package org.clinical.platform.fault;

import org.clinical.platform.support.Api;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Redis away under a load of patient summary reads: every read answers from PostgreSQL, none fails, none is
 * stale; once Redis is back reads hit it again. "Stopped" is a real stop (Redis comes back empty); "unreachable"
 * is SIGSTOP (Redis keeps its entries), here with the platform killed and restarted while Redis is away, so
 * the eviction that failed before the restart must still be made good.
 */
class RedisOutageIT extends FaultTest {

    /** The family names each patient gets, in this order: a read may show a newer one, never an older one. */
    private static final List<String> NAMES = List.of("Lovelace", "Byron", "Shelley");

    /** What a read of the patient must show at least: the family name written at that position. */
    record Expected(String family, long position) {
    }

    @Test
    void redis_stopped_under_read_load_no_errors_then_hits_again() throws Exception {
        String tenant = newTenant();
        List<String> patients = new ArrayList<>();
        List<AtomicReference<Expected>> expected = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Api.Response created = api.post("/api/v1/" + tenant + "/patients").token(CLINICIAN)
                    .json(patient("MRN-R" + i, "Lovelace")).send();
            assertThat(created.status()).as(created.toString()).isEqualTo(201);
            patients.add(created.body().get("patientId").asText());
            expected.add(new AtomicReference<>(new Expected("Lovelace", created.position())));
        }
        ConcurrentLinkedQueue<String> wrong = new ConcurrentLinkedQueue<>();
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService readers = Executors.newFixedThreadPool(3);
        for (int r = 0; r < 3; r++) {
            int reader = r;
            readers.submit(() -> {
                for (int n = reader; !stop.get(); n++) {
                    int p = n % patients.size();
                    Expected want = expected.get(p).get();
                    Api.Response read = summary(tenant, patients.get(p), want.position());
                    if (read.status() != 200 || NAMES.indexOf(read.body().at("/name/family").asText())
                            < NAMES.indexOf(want.family())) {
                        wrong.add("expected " + want + ", got " + read);
                    }
                }
            });
        }
        try {
            awaitHits();
            redis.stop();
            for (int p = 0; p < patients.size(); p++) {
                expected.get(p).set(rename(tenant, patients.get(p), "Byron"));
            }
            LockSupport.parkNanos(Duration.ofSeconds(2).toNanos());
            redis.start();
            awaitHits();
            for (int p = 0; p < patients.size(); p++) {
                expected.get(p).set(rename(tenant, patients.get(p), "Shelley"));
            }
            awaitHits();
        } finally {
            stop.set(true);
            readers.shutdown();
            assertThat(readers.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(wrong).as("reads that failed or were stale").isEmpty();
    }

    @Test
    void an_eviction_that_failed_before_a_restart_is_made_good_before_redis_is_read_again() {
        String tenant = newTenant();
        Api.Response created = api.post("/api/v1/" + tenant + "/patients").token(CLINICIAN)
                .json(patient("MRN-S", "Lovelace")).send();
        String id = created.body().get("patientId").asText();
        String key = awaitCached(tenant, id, created.position());
        String stale = redis.command("GET", key);
        assertThat(stale).contains("Lovelace");

        redis.pause();
        Expected renamed;
        try {
            renamed = rename(tenant, id, "Byron");
            assertName(summary(tenant, id, renamed.position()), "Byron");
            assertThat(database.queryLong("select count(*) from clinical_platform.cache_stale_tenant"
                    + " where tenant_id = ?", tenant)).as("the failed eviction is recorded").isEqualTo(1);

            platform.kill();
            Duration restart = platform.start();
            System.out.println("restarted in " + restart.toMillis() + " ms while Redis was paused");
            assertName(summary(tenant, id, renamed.position()), "Byron");
        } finally {
            redis.resume();
        }
        // A paused Redis still runs what reached its socket before the pause ended, the killed instance's
        // eviction included; a partitioned one would not have received it: as if it had not, the entry is back.
        redis.command("SET", key, stale);

        long hits = summaryHits();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (summaryHits() <= hits) {
            assertName(summary(tenant, id, renamed.position()), "Byron");
            assertThat(System.nanoTime()).as("reads hit Redis again\n" + platform.logTail(40)).isLessThan(deadline);
            LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
        }
        assertName(summary(tenant, id, renamed.position()), "Byron");
        assertThat(redis.command("EXISTS", key)).as("the stale entry is still there, never read").isEqualTo("1");
        assertThat(database.queryLong("select count(*) from clinical_platform.cache_stale_tenant")).isZero();
    }

    /** Reads the summary until Redis holds it (the first reads may skip Redis); answers its key. */
    private String awaitCached(String tenant, String id, long position) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (true) {
            assertName(summary(tenant, id, position), "Lovelace");
            String epoch = redis.command("GET", "clinical:{" + tenant + "}:epoch");
            String key = "clinical:{" + tenant + "}:e" + (epoch.isEmpty() ? "0" : epoch) + ":patient:" + id + ":summary";
            if (redis.command("EXISTS", key).equals("1")) {
                return key;
            }
            assertThat(System.nanoTime()).as("summary cached\n" + platform.logTail(40)).isLessThan(deadline);
            LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
        }
    }

    private static String patient(String mrn, String family) {
        return """
                {"mrn": "%s", "name": {"family": "%s", "given": ["Ada"]}, "birthDate": "1980-12-10",
                 "gender": "female"}""".formatted(mrn, family);
    }

    private Expected rename(String tenant, String id, String family) {
        Api.Response updated = api.put("/api/v1/" + tenant + "/patients/" + id + "/demographics").token(CLINICIAN)
                .json("""
                        {"name": {"family": "%s", "given": ["Ada"]}, "birthDate": "1980-12-10", "gender": "female"}"""
                        .formatted(family)).send();
        assertThat(updated.status()).as(updated.toString()).isEqualTo(200);
        return new Expected(family, updated.position());
    }

    /**
     * The summary as of at least the position. A 503 "projections behind" (the projection took longer than the
     * 2 s the platform waits, on a busy machine) is retried for up to 10 s, as its {@code Retry-After} asks.
     */
    private Api.Response summary(String tenant, String id, long position) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            Api.Response read = api.get("/api/v1/" + tenant + "/patients/" + id).token(CLINICIAN)
                    .header("X-Min-Position", String.valueOf(position)).send();
            if (read.status() != 503 || !read.body().path("type").asText().endsWith(":projections-behind")
                    || System.nanoTime() > deadline) {
                return read;
            }
        }
    }

    private static void assertName(Api.Response read, String family) {
        assertThat(read.status()).as(read.toString()).isEqualTo(200);
        assertThat(read.body().at("/name/family").asText()).as(read.toString()).isEqualTo(family);
    }

    /** Waits (at most 20 s) until at least 10 more summary reads were answered from Redis. */
    private void awaitHits() {
        long start = summaryHits();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (summaryHits() < start + 10) {
            assertThat(System.nanoTime()).as("reads hit Redis\n" + platform.logTail(40)).isLessThan(deadline);
            LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
        }
    }

    /** Summary reads the platform answered from Redis: {@code clinical.cache.requests{cache=summary,result=hit}}. */
    private long summaryHits() {
        Api.Response metrics = api.get("/actuator/prometheus").token(ADMIN).send();
        assertThat(metrics.status()).as(metrics.toString()).isEqualTo(200);
        for (String line : metrics.raw().body().split("\\R")) {
            if (line.startsWith("clinical_cache_requests_total{") && line.contains("cache=\"summary\"")
                    && line.contains("result=\"hit\"")) {
                return (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        throw new IllegalStateException("no summary hit counter in /actuator/prometheus");
    }
}
