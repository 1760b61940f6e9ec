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
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every PostgreSQL connection of the platform terminated ({@code pg_terminate_backend}) again and again for
 * two seconds under a load of commands and reads: every answer is a success or a 503 problem+json (never a
 * 500, never a white-label page), and within 10 s of the last termination the platform works again by itself,
 * its projections included.
 */
class TerminatedConnectionsIT extends FaultTest {

    private static final Duration OUTAGE = Duration.ofSeconds(2);
    private static final Duration RECOVERY = Duration.ofSeconds(10);

    @Test
    void answers_503_while_connections_are_terminated_and_recovers_by_itself() throws Exception {
        String tenant = newTenant();
        List<String> patients = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            patients.add(newPatient(tenant, "MRN-T" + i));
        }
        awaitProjected(tenant, patients);
        ConcurrentLinkedQueue<Api.Response> answers = new ConcurrentLinkedQueue<>();
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService clients = Executors.newFixedThreadPool(4);
        for (int c = 0; c < 4; c++) {
            String patient = patients.get(c % patients.size());
            boolean writer = c % 2 == 0;
            clients.submit(() -> {
                for (int n = 0; !stop.get(); n++) {
                    answers.add(writer ? record(tenant, patient, n) : summary(tenant, patient));
                }
            });
        }
        try {
            awaitAnswers(answers, 20);
            int terminated = 0;
            long outageEnds = System.nanoTime() + OUTAGE.toNanos();
            while (System.nanoTime() < outageEnds) {
                terminated += database.terminateConnections();
                LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
            }
            long lastTermination = System.nanoTime();
            assertThat(terminated).as("connections terminated").isPositive();

            Duration recovered = awaitRecovery(tenant, patients.get(0), lastTermination);
            System.out.println("terminated " + terminated + " connections; recovered (command projected) after "
                    + recovered.toMillis() + " ms");
            assertThat(recovered).as("recovery after the last termination\n" + platform.logTail(80))
                    .isLessThanOrEqualTo(RECOVERY);
        } finally {
            stop.set(true);
            clients.shutdown();
            assertThat(clients.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        }

        List<Api.Response> failed = answers.stream().filter(a -> a.status() / 100 != 2).toList();
        System.out.println(answers.size() + " answers under load, " + failed.size() + " failed, one of each status: "
                + failed.stream().collect(java.util.stream.Collectors.toMap(Api.Response::status, a -> a,
                (first, other) -> first)).values());
        assertThat(platform.alive()).as("not restarted").isTrue();
        assertThat(failed).as("answers that failed while connections were terminated").isNotEmpty();
        for (Api.Response answer : failed) {
            assertProblem(answer, 503);
        }
    }

    private Api.Response record(String tenant, String patient, int n) {
        return api.post("/api/v1/" + tenant + "/observations").token(CLINICIAN)
                .json(heartRate(patient, 60 + n % 60)).send();
    }

    private Api.Response summary(String tenant, String patient) {
        return api.get("/api/v1/" + tenant + "/patients/" + patient).token(CLINICIAN).send();
    }

    /** Waits until each patient's summary answers (the reads of the load send no {@code X-Min-Position}). */
    private void awaitProjected(String tenant, List<String> patients) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        for (String patient : patients) {
            while (summary(tenant, patient).status() != 200) {
                assertThat(System.nanoTime()).as("patient " + patient + " projected").isLessThan(deadline);
                LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
            }
        }
    }

    private static void awaitAnswers(ConcurrentLinkedQueue<Api.Response> answers, int count) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (answers.size() < count) {
            assertThat(System.nanoTime()).as("load started").isLessThan(deadline);
            LockSupport.parkNanos(Duration.ofMillis(10).toNanos());
        }
    }

    /**
     * Sends a command until one succeeds and a read with its position answers 200 (both projections of the
     * summary and of the observations have applied it); answers how long after {@code since} that was.
     */
    private Duration awaitRecovery(String tenant, String patient, long since) {
        long deadline = since + Duration.ofSeconds(60).toNanos();
        int n = 0;
        while (System.nanoTime() < deadline) {
            Api.Response command = record(tenant, patient, n++);
            if (command.status() == 201) {
                Api.Response read = api.get("/api/v1/" + tenant + "/patients/" + patient + "/observations?limit=1")
                        .token(CLINICIAN).header("X-Min-Position", String.valueOf(command.position())).send();
                Api.Response summary = api.get("/api/v1/" + tenant + "/patients/" + patient).token(CLINICIAN)
                        .header("X-Min-Position", String.valueOf(command.position())).send();
                if (read.status() == 200 && summary.status() == 200) {
                    return Duration.ofNanos(System.nanoTime() - since);
                }
            }
            LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
        }
        throw new AssertionError("no recovery within 60 s of the last termination:\n" + platform.logTail(120));
    }
}
