package org.clinical.platform.fault;

import org.clinical.platform.support.Api;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two instances on one database and one Redis, the first cut off from Redis ({@link RedisLink}) while it
 * projects a change: its failed eviction is recorded in PostgreSQL, and the second instance, which still
 * reaches Redis, raises the tenant's epoch within {@code clinical.cache.stale-check} (1 s), so it stops
 * serving the entry the eviction missed although the first instance never reached Redis again.
 */
class SeveralInstancesCacheIT extends FaultTest {

    private RedisLink link;
    private FaultPlatform second;

    @Override
    String platformRedisUrl() {
        link = new RedisLink(redis.port);
        return link.url();
    }

    @AfterEach
    void stopSecond() {
        if (second != null) {
            second.close();
        }
        if (link != null) {
            link.close();
        }
    }

    @Test
    void another_instance_drops_what_a_cut_off_instance_could_not_evict() {
        String tenant = newTenant();
        Api.Response created = api.post("/api/v1/" + tenant + "/patients").token(CLINICIAN).json("""
                {"mrn": "MRN-M", "name": {"family": "Lovelace", "given": ["Ada"]}, "birthDate": "1980-12-10",
                 "gender": "female"}""").send();
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        String id = created.body().get("patientId").asText();
        awaitFamily(api, tenant, id, created.position(), "Lovelace");

        // started after the tenant exists (tenants are loaded at start-up); its processors find the claims taken
        second = new FaultPlatform(database, redis.url(), dir);
        System.out.println("second instance started in " + second.start().toMillis() + " ms");
        String key = awaitCachedBy(second.api, tenant, id);

        link.cut();
        Api.Response renamed = api.put("/api/v1/" + tenant + "/patients/" + id + "/demographics").token(CLINICIAN)
                .json("""
                        {"name": {"family": "Byron", "given": ["Ada"]}, "birthDate": "1980-12-10", "gender": "female"}""")
                .send();
        assertThat(renamed.status()).as(renamed.toString()).isEqualTo(200);
        awaitFamily(api, tenant, id, renamed.position(), "Byron");
        assertThat(redis.command("GET", key)).as("the entry the eviction missed").contains("Lovelace");
        long marked = System.nanoTime();

        long deadline = marked + Duration.ofSeconds(10).toNanos();
        while (!family(second.api.get("/api/v1/" + tenant + "/patients/" + id).token(CLINICIAN).send()).equals("Byron")) {
            assertThat(System.nanoTime()).as("the second instance drops the stale entry\n" + second.logTail(40))
                    .isLessThan(deadline);
            LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
        }
        Duration stale = Duration.ofNanos(System.nanoTime() - marked);
        System.out.println("the second instance served the missed entry for at most " + stale.toMillis() + " ms");
        for (int i = 0; i < 20; i++) {
            assertThat(family(second.api.get("/api/v1/" + tenant + "/patients/" + id).token(CLINICIAN).send()))
                    .isEqualTo("Byron");
        }
        assertThat(database.queryLong("select count(*) from clinical_platform.cache_stale_tenant")).isZero();
        awaitCachedBy(second.api, tenant, id);

        link.restore();
        for (int i = 0; i < 20; i++) {
            awaitFamily(api, tenant, id, renamed.position(), "Byron");
        }
    }

    /** Reads through the instance until Redis holds the summary under the tenant's current epoch; answers the key. */
    private String awaitCachedBy(Api instance, String tenant, String id) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (true) {
            assertThat(instance.get("/api/v1/" + tenant + "/patients/" + id).token(CLINICIAN).send().status())
                    .isEqualTo(200);
            String epoch = redis.command("GET", "clinical:{" + tenant + "}:epoch");
            String key = "clinical:{" + tenant + "}:e" + (epoch.isEmpty() ? "0" : epoch) + ":patient:" + id + ":summary";
            if (redis.command("EXISTS", key).equals("1")) {
                return key;
            }
            assertThat(System.nanoTime()).as("summary cached").isLessThan(deadline);
            LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
        }
    }

    /** Reads with {@code X-Min-Position} (retrying "projections behind") until it answers; asserts the name. */
    private static void awaitFamily(Api instance, String tenant, String id, long position, String family) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        Api.Response read;
        do {
            read = instance.get("/api/v1/" + tenant + "/patients/" + id).token(CLINICIAN)
                    .header("X-Min-Position", String.valueOf(position)).send();
        } while (read.status() == 503 && System.nanoTime() < deadline);
        assertThat(family(read)).as(read.toString()).isEqualTo(family);
    }

    private static String family(Api.Response read) {
        assertThat(read.status()).as(read.toString()).isEqualTo(200);
        return read.body().at("/name/family").asText();
    }
}
