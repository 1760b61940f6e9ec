package org.clinical.benchmarks;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Session;
import io.gatling.javaapi.core.Simulation;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import static io.gatling.javaapi.core.CoreDsl.constantConcurrentUsers;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

/**
 * Observation statistics of one code ({@code GET /api/v1/{tenant}/analytics/observations/stats}) over the 10
 * million seeded observations (benchmarks/seed/observations.sql: 8 codes, effectiveAt over the 365 days before
 * today), closed workload: {@code bench.users} (default 2) analysts, each sending its next request as soon as
 * the previous one is answered, for {@code bench.durationSeconds}. Each request takes a random code of the 8, a
 * random window ending today (the last 7, 30, 90 or 365 days: up to 1.25 million values of the code) and one of
 * the three forms: no grouping, {@code groupBy=day}, {@code groupBy=facility}. {@code bench.statsTimeFormat}
 * {@code date} (default) sends {@code from}/{@code to} as dates, {@code instant} as instants. The end-of-run
 * lines give p50/p95/p99 per form and window. Target: <= 200 ms.
 */
public class ObservationStatsSimulation extends Simulation {

    static final List<String> CODES =
            List.of("8867-4", "9279-1", "8310-5", "59408-5", "15074-8", "2823-3", "2160-0", "29463-7");
    static final int[] WINDOWS = {7, 30, 90, 365};
    static final List<String> FORMS = List.of("", "day", "facility");

    private final BenchConfig config = new BenchConfig();
    private final int users = config.users(2);
    private final boolean instants = "instant".equals(System.getProperty("bench.statsTimeFormat", "date"));
    private final Latencies latencies = new Latencies();

    private final ScenarioBuilder scenario = scenario("Observation stats x" + users + config.label)
            .during(config.duration).on(
                    exec(this::pick)
                            .exec(http("#{statsName}")
                                    .get("/api/v1/" + config.tenant + "/analytics/observations/stats#{statsQuery}")
                                    .check(status().is(200)))
                            .exec(session -> {
                                if (session.isFailed()) {
                                    latencies.failed(session.getString("statsName"));
                                } else {
                                    latencies.record(session.getString("statsName"),
                                            System.nanoTime() - session.getLong("statsStart"));
                                }
                                return session.markAsSucceeded();
                            }));

    private Session pick(Session session) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        String code = CODES.get(random.nextInt(CODES.size()));
        int days = WINDOWS[random.nextInt(WINDOWS.length)];
        String form = FORMS.get(random.nextInt(FORMS.size()));
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        LocalDate from = today.minusDays(days);
        String query = "?code=" + code
                + "&from=" + (instants ? from.atStartOfDay(ZoneOffset.UTC).toInstant() : from)
                + "&to=" + (instants ? today.atStartOfDay(ZoneOffset.UTC).toInstant() : today.minusDays(1))
                + (form.isEmpty() ? "" : "&groupBy=" + form);
        String name = "stats" + (form.isEmpty() ? "" : " groupBy=" + form) + " " + days + "d";
        return session.set("statsQuery", query).set("statsName", name).set("statsStart", System.nanoTime());
    }

    {
        setUp(scenario.injectClosed(constantConcurrentUsers(users).during(config.duration)))
                .protocols(config.protocol("analyst"))
                .maxDuration(config.maxDuration());
    }

    @Override
    public void after() {
        System.out.print(latencies.report());
    }
}
