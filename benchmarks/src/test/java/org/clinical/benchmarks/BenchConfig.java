package org.clinical.benchmarks;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.gatling.javaapi.http.HttpProtocolBuilder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import static io.gatling.javaapi.http.HttpDsl.http;

/**
 * What every simulation reads from system properties (benchmarks/run.sh sets them all):
 * <ul>
 *   <li>{@code bench.baseUrl} the platform, default {@code http://127.0.0.1:18090}</li>
 *   <li>{@code bench.tenant} the tenant the pool was created in, default {@code bench}</li>
 *   <li>{@code bench.jwtSecret} the platform's {@code CLINICAL_JWT_SECRET} (HS256)</li>
 *   <li>{@code bench.durationSeconds} how long the workload runs, default 60</li>
 *   <li>{@code bench.users} concurrent virtual users (closed model); default per simulation</li>
 *   <li>{@code bench.rate} new virtual users, one request chain each, per second (open model); default per
 *       simulation</li>
 *   <li>{@code bench.batchSize} observations per batch request, default 500</li>
 *   <li>{@code bench.idsFile} CSV {@code patientId,encounterId} (header line) of the pre-created pool</li>
 *   <li>{@code bench.label} free text appended to the scenario name (e.g. {@code warm-up})</li>
 * </ul>
 */
final class BenchConfig {

    final String baseUrl = System.getProperty("bench.baseUrl", "http://127.0.0.1:18090");
    final String tenant = System.getProperty("bench.tenant", "bench");
    final String jwtSecret = required("bench.jwtSecret");
    final Duration duration = Duration.ofSeconds(Long.getLong("bench.durationSeconds", 60));
    final int batchSize = Integer.getInteger("bench.batchSize", 500);
    final String label = System.getProperty("bench.label", "");
    final List<String[]> pool = readPool(Path.of(required("bench.idsFile")));

    int users(int defaultUsers) {
        return Integer.getInteger("bench.users", defaultUsers);
    }

    /** Arrivals per second of an open workload. */
    double rate(double defaultRate) {
        String rate = System.getProperty("bench.rate", "");
        return rate.isBlank() ? defaultRate : Double.parseDouble(rate);
    }

    /** Bound on the whole run: the closed loop's duration plus time for the last requests to end. */
    Duration maxDuration() {
        return duration.plusSeconds(30);
    }

    /** A clinician token for the bench tenant, valid well beyond the run. */
    String clinicianToken() {
        return token("clinician");
    }

    /** A token with one role for the bench tenant, valid well beyond the run. */
    String token(String role) {
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .subject("gatling-bench")
                .issueTime(new Date())
                .expirationTime(Date.from(Instant.now().plus(duration).plusSeconds(3600)))
                .claim("roles", List.of(role))
                .claim("tenants", List.of(tenant))
                .claim("regions", List.of())
                .build();
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
            jwt.sign(new MACSigner(jwtSecret.getBytes(StandardCharsets.UTF_8)));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign the bench token", e);
        }
    }

    /** A random (patientId, encounterId) of the pool. */
    String[] randomPair() {
        return pool.get(ThreadLocalRandom.current().nextInt(pool.size()));
    }

    /** Endless feeder of random pairs of the pool, as session attributes patientId and encounterId. */
    Iterator<Map<String, Object>> pairFeeder() {
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return true;
            }

            @Override
            public Map<String, Object> next() {
                String[] pair = randomPair();
                return Map.of("patientId", pair[0], "encounterId", pair[1]);
            }
        };
    }

    private static final String[][] VITALS = {
            // code, display, unit, low, high, min value, max value
            {"8867-4", "Heart rate", "/min", "60", "100", "45", "130"},
            {"9279-1", "Respiratory rate", "/min", "12", "20", "8", "30"},
            {"8310-5", "Body temperature", "Cel", "36.1", "37.8", "35", "40"},
            {"59408-5", "Oxygen saturation", "%", "94", "100", "85", "100"},
    };

    /** JSON over HTTP to the platform under test, as the pool's clinician; no caching, no Gatling warm-up. */
    HttpProtocolBuilder protocol() {
        return protocol("clinician");
    }

    /** The same protocol with a token of another role ({@code analyst} for analytics). */
    HttpProtocolBuilder protocol(String role) {
        return http
                .baseUrl(baseUrl)
                .acceptHeader("application/json")
                .contentTypeHeader("application/json")
                .authorizationHeader("Bearer " + token(role))
                .disableCaching()
                .disableWarmUp();
    }

    /**
     * For open workloads (a new virtual user per arrival): the users share one pool of keep-alive connections,
     * as the platform's real clients (an app server, a gateway) do. Without it every arrival would open a TCP
     * connection of its own and the figures would measure connection set-up.
     */
    HttpProtocolBuilder openProtocol(String role) {
        return protocol(role).shareConnections();
    }

    /** Bound on an open workload: its duration plus time for the last chains to end. */
    Duration openMaxDuration() {
        return duration.plusSeconds(30);
    }

    /** Endless feeder of random patient ids of the pool, as the session attribute patientId. */
    Iterator<Map<String, Object>> patientFeeder() {
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return true;
            }

            @Override
            public Map<String, Object> next() {
                return Map.of("patientId", randomPair()[0]);
            }
        };
    }

    /** One RecordObservation body: a random vital sign, some time in the last hour. */
    static String observationJson(String patientId, String encounterId) {
        StringBuilder json = new StringBuilder(400);
        appendObservation(json, patientId, encounterId);
        return json.toString();
    }

    /** One batch body of {@code size} observations on random pairs of the pool. */
    String batchJson(int size) {
        StringBuilder json = new StringBuilder(size * 360 + 32);
        json.append("{\"observations\":[");
        for (int i = 0; i < size; i++) {
            if (i > 0) {
                json.append(',');
            }
            String[] pair = randomPair();
            appendObservation(json, pair[0], pair[1]);
        }
        return json.append("]}").toString();
    }

    private static void appendObservation(StringBuilder json, String patientId, String encounterId) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        String[] vital = VITALS[random.nextInt(VITALS.length)];
        double min = Double.parseDouble(vital[5]);
        double max = Double.parseDouble(vital[6]);
        double value = Math.round((min + random.nextDouble() * (max - min)) * 10) / 10.0;
        Instant effectiveAt = Instant.now().minusSeconds(60 + random.nextInt(3600)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        json.append("{\"patientId\":\"").append(patientId)
                .append("\",\"encounterId\":\"").append(encounterId)
                .append("\",\"code\":{\"system\":\"http://loinc.org\",\"code\":\"").append(vital[0])
                .append("\",\"display\":\"").append(vital[1])
                .append("\"},\"category\":\"vital-signs\",\"effectiveAt\":\"").append(effectiveAt)
                .append("\",\"value\":{\"quantity\":{\"value\":").append(value)
                .append(",\"unit\":\"").append(vital[2])
                .append("\"}},\"referenceRange\":{\"low\":").append(vital[3])
                .append(",\"high\":").append(vital[4]).append("}}");
    }

    private static String required(String name) {
        String value = System.getProperty(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("system property " + name + " is required (benchmarks/run.sh sets it)");
        }
        return value;
    }

    private static List<String[]> readPool(Path file) {
        try {
            List<String[]> pairs = Files.readAllLines(file).stream()
                    .map(String::strip)
                    .filter(line -> !line.isEmpty() && !line.startsWith("patientId"))
                    .map(line -> line.split(","))
                    .filter(parts -> parts.length == 2)
                    .toList();
            if (pairs.isEmpty()) {
                throw new IllegalStateException("no patientId,encounterId pair in " + file);
            }
            return pairs;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the pool " + file, e);
        }
    }
}
