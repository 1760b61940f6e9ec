package org.clinical.benchmarks;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpProtocolBuilder;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.constantConcurrentUsers;
import static io.gatling.javaapi.core.CoreDsl.feed;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

/**
 * Single RecordObservation commands, closed workload: {@code bench.users} (default 16) clients, each sending
 * its next command as soon as the previous one is answered, for {@code bench.durationSeconds}, on random
 * patient/encounter pairs of the pre-created pool. Target: >= 2,500 commands/s with p99 <= 20 ms.
 */
public class SingleObservationSimulation extends Simulation {

    private final BenchConfig config = new BenchConfig();
    private final int users = config.users(16);

    private final HttpProtocolBuilder protocol = config.protocol();

    private final ScenarioBuilder scenario = scenario("RecordObservation x" + users + config.label)
            .during(config.duration).on(
                    feed(config.pairFeeder())
                            .exec(http("POST observations")
                                    .post("/api/v1/" + config.tenant + "/observations")
                                    .body(StringBody(session -> BenchConfig.observationJson(
                                            session.getString("patientId"), session.getString("encounterId"))))
                                    .check(status().is(201))));

    {
        setUp(scenario.injectClosed(constantConcurrentUsers(users).during(config.duration)))
                .protocols(protocol)
                .maxDuration(config.maxDuration());
    }
}
