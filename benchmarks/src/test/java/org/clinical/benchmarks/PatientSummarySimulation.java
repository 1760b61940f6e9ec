package org.clinical.benchmarks;

import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.Simulation;

import static io.gatling.javaapi.core.CoreDsl.constantConcurrentUsers;
import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.feed;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

/**
 * The cached patient summary ({@code GET /api/v1/{tenant}/patients/{id}}), each request one read of a random
 * patient of the pool. Open workload by default: {@code bench.rate} (default 2,000) arrivals per second for
 * {@code bench.durationSeconds}, over shared keep-alive connections (target: p99 <= 5 ms at 2,000 requests/s).
 * With {@code bench.users} set and no rate, closed workload: that many clients, each reading again as soon as it
 * has its answer, on a keep-alive connection of its own (issue 12's "16 clients": the throughput is the figure).
 * run.sh runs it once as a warm-up first, which fills the cache (every patient of the pool is read many times over).
 */
public class PatientSummarySimulation extends Simulation {

    private final BenchConfig config = new BenchConfig();
    private final int users = config.users(0);
    private final double rate = config.rate(users > 0 ? 0 : 2000);

    private final ChainBuilder read = feed(config.patientFeeder())
            .exec(http("GET patients/{id}")
                    .get("/api/v1/" + config.tenant + "/patients/#{patientId}")
                    .check(status().is(200)));

    {
        if (rate > 0) {
            setUp(scenario("Patient summary " + rate + "/s" + config.label).exec(read)
                    .injectOpen(constantUsersPerSec(rate).during(config.duration)))
                    .protocols(config.openProtocol("clinician"))
                    .maxDuration(config.openMaxDuration());
        } else {
            setUp(scenario("Patient summary x" + users + config.label).during(config.duration).on(exec(read))
                    .injectClosed(constantConcurrentUsers(users).during(config.duration)))
                    .protocols(config.protocol("clinician"))
                    .maxDuration(config.maxDuration());
        }
    }
}
