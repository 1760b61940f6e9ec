package org.clinical.benchmarks;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpProtocolBuilder;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.constantConcurrentUsers;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

/**
 * Observation batches, closed workload: {@code bench.users} (default 4) clients, each sending its next batch of
 * {@code bench.batchSize} (default 500) observations on random pairs of the pool as soon as the previous batch
 * is answered, for {@code bench.durationSeconds}. Observations/s = requests/s x batch size
 * (target: >= 30,000 observations/s with batches of 500).
 */
public class ObservationBatchSimulation extends Simulation {

    private final BenchConfig config = new BenchConfig();
    private final int users = config.users(4);

    private final HttpProtocolBuilder protocol = config.protocol();

    private final ScenarioBuilder scenario = scenario(
            "RecordObservations batch=" + config.batchSize + " x" + users + config.label)
            .during(config.duration).on(
                    exec(http("POST observations/batch")
                            .post("/api/v1/" + config.tenant + "/observations/batch")
                            .body(StringBody(session -> config.batchJson(config.batchSize)))
                            .check(status().is(201))));

    {
        setUp(scenario.injectClosed(constantConcurrentUsers(users).during(config.duration)))
                .protocols(protocol)
                .maxDuration(config.maxDuration());
    }
}
