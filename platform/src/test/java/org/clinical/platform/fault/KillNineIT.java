package org.clinical.platform.fault;

import com.fasterxml.jackson.databind.JsonNode;
import org.clinical.platform.support.Api;
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
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code kill -9} of the platform while clients send single and batch observations, each request with its own
 * {@code Idempotency-Key}: after a restart every acknowledged observation is in the event store and in the
 * read model exactly once, and the retry of every request sent (acknowledged or not) answers the first
 * result for the acknowledged ones and stores nothing twice.
 */
class KillNineIT extends FaultTest {

    private static final int CLIENTS = 4;
    private static final int BATCH = 10;

    /** One request as the client sent it, and what it got back (null: no answer, the connection broke). */
    record Sent(String key, String path, String body, Api.Response answer) {

        boolean acknowledged() {
            return answer != null && answer.status() / 100 == 2;
        }
    }

    @Test
    void acknowledged_commands_survive_a_kill_and_retries_answer_the_first_result() throws Exception {
        String tenant = newTenant();
        List<String> patients = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            patients.add(newPatient(tenant, "MRN-K" + i));
        }

        List<Sent> sent = loadUntilKilled(tenant, patients);
        List<Sent> acknowledged = sent.stream().filter(Sent::acknowledged).toList();
        assertThat(acknowledged).as("acknowledged before the kill").hasSizeGreaterThanOrEqualTo(60);
        assertThat(sent.stream().filter(s -> s.answer() != null && !s.acknowledged()))
                .as("answers other than 2xx before the kill").isEmpty();

        Duration restart = platform.start();
        System.out.println("restarted in " + restart.toMillis() + " ms; sent " + sent.size() + ", acknowledged "
                + acknowledged.size());

        Map<String, Long> stored = countByObservation("select aggregate_identifier from " + schema(tenant)
                + ".domain_event_entry where payload_type = 'ObservationRecorded'");
        for (Sent request : acknowledged) {
            for (String id : observationIds(request.answer().body())) {
                assertThat(stored.get(id)).as("events of acknowledged observation " + id).isEqualTo(1L);
            }
        }

        long head = 0;
        List<String> everyId = new ArrayList<>();
        for (Sent request : sent) {
            Api.Response retry = api.post(request.path()).token(CLINICIAN).header("Idempotency-Key", request.key())
                    .json(request.body()).send();
            assertThat(retry.status()).as("retry of " + request.key() + ": " + retry).isEqualTo(201);
            if (request.acknowledged()) {
                assertThat(retry.body()).as("retry of acknowledged " + request.key())
                        .isEqualTo(request.answer().body());
                assertThat(retry.header("X-Event-Position")).isEqualTo(request.answer().header("X-Event-Position"));
            }
            everyId.addAll(observationIds(retry.body()));
            head = Math.max(head, retry.position());
        }
        assertThat(everyId).doesNotHaveDuplicates();

        stored = countByObservation("select aggregate_identifier from " + schema(tenant)
                + ".domain_event_entry where payload_type = 'ObservationRecorded'");
        assertThat(stored.keySet()).as("observations stored").containsExactlyInAnyOrderElementsOf(everyId);
        assertThat(stored.values()).as("events per observation").allMatch(n -> n == 1L);

        awaitProjected(tenant, patients, head);
        Map<String, Long> projected = countByObservation("select observation_id::text from "
                + liveSchema(tenant, "observations") + ".observation");
        assertThat(projected.keySet()).as("observations projected").containsExactlyInAnyOrderElementsOf(everyId);
        assertThat(projected.values()).as("read-model rows per observation").allMatch(n -> n == 1L);
    }

    /** Sends on {@link #CLIENTS} threads; kills the platform once 60 requests were acknowledged; answers all sent. */
    private List<Sent> loadUntilKilled(String tenant, List<String> patients) throws Exception {
        ConcurrentLinkedQueue<Sent> sent = new ConcurrentLinkedQueue<>();
        AtomicBoolean killed = new AtomicBoolean();
        AtomicInteger acknowledged = new AtomicInteger();
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        for (int c = 0; c < CLIENTS; c++) {
            int client = c;
            clients.submit(() -> {
                for (int n = 0; !killed.get(); n++) {
                    Sent request = send(tenant, patients.get((client + n) % patients.size()), client, n);
                    sent.add(request);
                    if (request.acknowledged()) {
                        acknowledged.incrementAndGet();
                    }
                }
            });
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (acknowledged.get() < 60 && System.nanoTime() < deadline) {
            LockSupport.parkNanos(Duration.ofMillis(10).toNanos());
        }
        platform.kill();
        killed.set(true);
        clients.shutdown();
        assertThat(clients.awaitTermination(60, TimeUnit.SECONDS)).as("clients stopped").isTrue();
        return new ArrayList<>(sent);
    }

    /** Every third request is a batch of {@link #BATCH}; the others are single observations. */
    private Sent send(String tenant, String patient, int client, int n) {
        boolean batch = n % 3 == 2;
        String path = "/api/v1/" + tenant + "/observations" + (batch ? "/batch" : "");
        String body;
        if (batch) {
            List<String> observations = new ArrayList<>();
            for (int i = 0; i < BATCH; i++) {
                observations.add(heartRate(patient, 60 + (n + i) % 60));
            }
            body = "{\"observations\": [" + String.join(",", observations) + "]}";
        } else {
            body = heartRate(patient, 60 + n % 60);
        }
        String key = "k" + client + "-" + n + "-" + UUID.randomUUID();
        Api.Response answer;
        try {
            answer = api.post(path).token(CLINICIAN).header("Idempotency-Key", key).json(body).send();
        } catch (IllegalStateException connectionBroke) {
            answer = null;
        }
        return new Sent(key, path, body, answer);
    }

    private static List<String> observationIds(JsonNode body) {
        if (body.has("results")) {
            List<String> ids = new ArrayList<>();
            body.get("results").forEach(r -> ids.add(r.get("observationId").asText()));
            return ids;
        }
        return List.of(body.get("observationId").asText());
    }

    /** Waits (at most 60 s) until a read of each patient's observations answers at the head position. */
    private void awaitProjected(String tenant, List<String> patients, long head) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        for (String patient : patients) {
            while (true) {
                Api.Response read = api.get("/api/v1/" + tenant + "/patients/" + patient + "/observations?limit=1")
                        .token(CLINICIAN).header("X-Min-Position", String.valueOf(head)).send();
                if (read.status() == 200) {
                    break;
                }
                assertThat(read.status()).as(read.toString()).isEqualTo(503);
                assertThat(System.nanoTime()).as("projected within 60 s: " + read).isLessThan(deadline);
            }
        }
    }

    private Map<String, Long> countByObservation(String sql) {
        Map<String, Long> counts = new HashMap<>();
        try (var c = database.connect(); var st = c.createStatement(); var rs = st.executeQuery(sql)) {
            while (rs.next()) {
                counts.merge(rs.getString(1), 1L, Long::sum);
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
        return counts.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }
}
