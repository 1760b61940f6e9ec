package org.clinical.benchmarks;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;

import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

/**
 * The cached patient summary ({@code GET /api/v1/{tenant}/patients/{id}}), open workload: {@code bench.rate}
 * (default 2,000) arrivals per second for {@code bench.durationSeconds}, each one read of a random patient of
 * the pool, over shared keep-alive connections. run.sh runs it once as a warm-up first, which fills the cache
 * (every patient of the pool is read many times over). Target: p99 <= 5 ms at 2,000 requests/s.
 */
public class PatientSummarySimulation extends Simulation {

    private final BenchConfig config = new BenchConfig();
    private final double rate = config.rate(2000);

    private final ScenarioBuilder scenario = scenario("Patient summary " + rate + "/s" + config.label)
            .feed(config.patientFeeder())
            .exec(http("GET patients/{id}")
                    .get("/api/v1/" + config.tenant + "/patients/#{patientId}")
                    .check(status().is(200)));

    {
        setUp(scenario.injectOpen(constantUsersPerSec(rate).during(config.duration)))
                .protocols(config.openProtocol("clinician"))
                .maxDuration(config.openMaxDuration());
    }
}
