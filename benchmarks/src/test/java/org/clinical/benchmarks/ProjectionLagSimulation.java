package org.clinical.benchmarks;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.header;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

/**
 * Projection lag under a steady write load of {@code bench.rate} (default 1,000) observations per second, for
 * {@code bench.durationSeconds}, the way bedside devices and lab systems send them: batches of
 * {@code bench.lagBatch} (default 10) observations, at rate / batch size requests per second (open workload).
 * Beside them, {@code bench.probes} (default 20) probes per second each record one observation (counted in the
 * rate) and at once read that patient's newest observation with {@code X-Min-Position: <its position>}
 * ({@code GET patients/{id}/observations?limit=1}): the platform answers once the observations projection has
 * reached the position (it waits up to 2 s, then 503). The time from the write's answer to the read's answer is
 * an upper bound of the projection lag of that event (it includes one read's round trip); the end-of-run line
 * {@code latency projection lag} gives its p50/p95/p99. Target: p99 <= 100 ms at 1,000 events/s.
 *
 * <p>Why not a read per write: on two cores, 1,000 single-observation commands and 1,000 reads per second
 * together with the load generator saturate the machine, and the "lag" measured is then queueing in Tomcat.
 */
public class ProjectionLagSimulation extends Simulation {

    private final BenchConfig config = new BenchConfig();
    private final double rate = config.rate(1000);
    private final int batch = Integer.getInteger("bench.lagBatch", 10);
    private final double probes = Double.parseDouble(System.getProperty("bench.probes", "20"));
    private final Latencies latencies = new Latencies();
    /**
     * Each probe's write as "position epochMicros" when its answer arrived (the command accepted): written to
     * {@code bench.acceptedLog} at the end, for the Kafka end-to-end latency (bench.py kafka-accepted).
     */
    private final Queue<String> accepted = new ConcurrentLinkedQueue<>();

    private final ScenarioBuilder writers = scenario("Batches of " + batch + ", " + (rate - probes) + " observations/s"
            + config.label)
            .exec(http("POST observations/batch")
                    .post("/api/v1/" + config.tenant + "/observations/batch")
                    .body(StringBody(session -> config.batchJson(batch)))
                    .check(status().is(201)));

    private final ScenarioBuilder probe = scenario("Write then read at X-Min-Position " + probes + "/s" + config.label)
            .feed(config.pairFeeder())
            .exec(http("POST observations")
                    .post("/api/v1/" + config.tenant + "/observations")
                    .body(StringBody(session -> BenchConfig.observationJson(
                            session.getString("patientId"), session.getString("encounterId"))))
                    .check(status().is(201), header("X-Event-Position").saveAs("position")))
            .exitHereIfFailed()
            .exec(session -> {
                accepted.add(session.getString("position") + " " + epochMicros());
                return session.set("writtenAt", System.nanoTime());
            })
            .exec(http("GET observations with X-Min-Position")
                    .get("/api/v1/" + config.tenant + "/patients/#{patientId}/observations?limit=1")
                    .header("X-Min-Position", "#{position}")
                    .check(status().is(200)))
            .exec(session -> {
                if (session.isFailed()) {
                    latencies.failed("projection lag");
                } else {
                    latencies.record("projection lag", System.nanoTime() - session.getLong("writtenAt"));
                }
                return session;
            });

    {
        setUp(writers.injectOpen(constantUsersPerSec((rate - probes) / batch).during(config.duration)),
                probe.injectOpen(constantUsersPerSec(probes).during(config.duration)))
                .protocols(config.openProtocol("clinician"))
                .maxDuration(config.openMaxDuration());
    }

    @Override
    public void after() {
        System.out.print(latencies.report());
        String acceptedLog = System.getProperty("bench.acceptedLog", "");
        if (!acceptedLog.isEmpty()) {
            try {
                Files.write(Path.of(acceptedLog), accepted);
            } catch (IOException e) {
                System.err.println("could not write " + acceptedLog + ": " + e);
            }
        }
    }

    private static long epochMicros() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000 + now.getNano() / 1_000;
    }
}
