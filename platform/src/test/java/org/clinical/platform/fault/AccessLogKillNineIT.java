package org.clinical.platform.fault;

import org.clinical.platform.support.Api;
import org.clinical.platform.support.Tokens;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code kill -9} of the platform while clients read cached patient summaries (the Redis fast path) as fast as
 * they can, each read with its own correlation id: after a restart, every read that was answered 200 has its
 * access-log entry, with its patient. The log's group commit makes each read wait for its entry's commit, so a
 * crash can lose only entries of reads that were never answered.
 */
class AccessLogKillNineIT extends FaultTest {

    private static final String AUDITOR = Tokens.token("auditor-aud", List.of("auditor"), List.of("*"));
    private static final int CLIENTS = 8;
    private static final int ANSWERED_BEFORE_KILL = 500;

    /** One read and its status (0: no answer, the connection broke). */
    record Read(String correlationId, String patient, int status) {
    }

    @Test
    void every_read_answered_before_a_kill_has_its_access_log_entry_after_the_restart() throws Exception {
        String tenant = newTenant();
        List<String> patients = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            patients.add(newPatient(tenant, "MRN-A" + i));
        }
        long head = database.queryLong("select max(global_index) from " + schema(tenant) + ".domain_event_entry");
        for (String patient : patients) {
            warm(tenant, patient, head);
        }

        List<Read> reads = readUntilKilled(tenant, patients);
        List<Read> answered = reads.stream().filter(r -> r.status() == 200).toList();
        assertThat(answered).as("reads answered before the kill").hasSizeGreaterThanOrEqualTo(ANSWERED_BEFORE_KILL);
        assertThat(reads).as("answers other than 200 before the kill").allMatch(r -> r.status() == 200 || r.status() == 0);

        Duration restart = platform.start();
        Map<String, String> logged = entries(tenant);
        long unanswered = reads.stream().filter(r -> r.status() == 0 && logged.containsKey(r.correlationId())).count();
        System.out.println("restarted in " + restart.toMillis() + " ms; reads sent " + reads.size() + ", answered "
                + answered.size() + ", unanswered with an entry " + unanswered);
        for (Read read : answered) {
            assertThat(logged.get(read.correlationId())).as("the entry of answered read " + read.correlationId())
                    .isEqualTo(read.patient());
        }

        Api.Response log = api.get("/api/v1/" + tenant + "/audit/access-log?limit=1000&patientId=" + patients.get(0))
                .token(AUDITOR).send();
        assertThat(log.status()).as(log.toString()).isEqualTo(200);
        assertThat(log.body().get("items")).isNotEmpty();
    }

    /** Reads the summary at the head until it answers, so the rest are served from Redis. */
    private void warm(String tenant, String patient, long head) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            Api.Response read = api.get("/api/v1/" + tenant + "/patients/" + patient).token(CLINICIAN)
                    .header("X-Min-Position", Long.toString(head)).send();
            if (read.status() == 200) {
                return;
            }
            assertThat(read.status()).as(read.toString()).isEqualTo(503);
            assertThat(System.nanoTime()).as("projected within 60 s").isLessThan(deadline);
        }
    }

    /** Reads on {@link #CLIENTS} threads; kills the platform once enough reads were answered. */
    private List<Read> readUntilKilled(String tenant, List<String> patients) throws Exception {
        ConcurrentLinkedQueue<Read> reads = new ConcurrentLinkedQueue<>();
        AtomicBoolean killed = new AtomicBoolean();
        AtomicInteger answered = new AtomicInteger();
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        for (int c = 0; c < CLIENTS; c++) {
            int client = c;
            clients.submit(() -> {
                for (int n = 0; !killed.get(); n++) {
                    String patient = patients.get((client + n) % patients.size());
                    String correlationId = "kill-" + client + "-" + n + "-" + UUID.randomUUID();
                    int status;
                    try {
                        status = api.get("/api/v1/" + tenant + "/patients/" + patient).token(CLINICIAN)
                                .header("X-Correlation-Id", correlationId).header("X-Purpose-Of-Use", "TREAT")
                                .send().status();
                    } catch (IllegalStateException connectionBroke) {
                        status = 0;
                    }
                    reads.add(new Read(correlationId, patient, status));
                    if (status == 200) {
                        answered.incrementAndGet();
                    }
                }
            });
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (answered.get() < ANSWERED_BEFORE_KILL && System.nanoTime() < deadline) {
            LockSupport.parkNanos(Duration.ofMillis(5).toNanos());
        }
        platform.kill();
        killed.set(true);
        clients.shutdown();
        assertThat(clients.awaitTermination(60, TimeUnit.SECONDS)).as("clients stopped").isTrue();
        return new ArrayList<>(reads);
    }

    /** The tenant's access-log entries: correlation id to patient id. */
    private Map<String, String> entries(String tenant) throws java.sql.SQLException {
        Map<String, String> entries = new HashMap<>();
        try (var c = database.connect(); var ps = c.prepareStatement(
                "select correlation_id, patient_id::text from clinical_platform.access_log where tenant_id = ?")) {
            ps.setString(1, tenant);
            try (var rs = ps.executeQuery()) {
                while (rs.next()) {
                    entries.put(rs.getString(1), rs.getString(2));
                }
            }
        }
        return entries;
    }
}
