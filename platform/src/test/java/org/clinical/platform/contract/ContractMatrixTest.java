package org.clinical.platform.contract;

import org.clinical.platform.support.ForgedEvents;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import org.clinical.platform.contract.Endpoint.Kind;
import org.clinical.platform.contract.Endpoint.Request;
import org.clinical.platform.contract.Endpoint.Role;
import org.clinical.platform.contract.Endpoint.Scope;
import org.clinical.platform.support.Api;
import org.clinical.platform.support.PlatformTest;
import org.clinical.platform.support.TestDatabase;
import org.clinical.platform.support.Tokens;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.function.Executable;
import org.clinical.infra.kafka.KafkaEndpoint;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.redis.core.StringRedisTemplate;

import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The contract as an executable matrix: every row of {@link ContractTable} against every rule of
 * {@code API.md}'s conventions and role sections that applies to it. Each rule is one generated test per row,
 * on data of its own, so a failure names the endpoint and the rule. Every rejected request is checked to store
 * nothing: events, command-side tables, dead letters, idempotency keys, read models, the Redis cache and the
 * tenant's Kafka topic ({@link StoredState}).
 */
class ContractMatrixTest extends PlatformTest implements Given {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern RECORD_ID = Pattern.compile(
            "(/(?:patients|encounters|observations)/)[0-9a-f-]{36}|(/projections/)[a-z]+");
    private static final AtomicInteger MRNS = new AtomicInteger();

    /** The tenant of each row ({@link Given#tenant}); the row under test is set as its rules start. */
    private static final Map<Endpoint, String> rowTenant = new java.util.concurrent.ConcurrentHashMap<>();
    private static Endpoint row;

    @Autowired
    private StringRedisTemplate redis;

    @Autowired
    private KafkaEndpoint kafka;

    @TestFactory
    Stream<DynamicNode> every_endpoint_against_every_rule_of_the_contract() {
        return ContractTable.ROWS.stream().map(e -> DynamicContainer.dynamicContainer(e.toString(), rules(e)));
    }

    private Stream<DynamicNode> rules(Endpoint e) {
        List<DynamicNode> rules = new ArrayList<>();
        rules.add(rule(e, "succeeds for each of its roles and for a token with every role", () -> eachRoleSucceeds(e)));
        rules.add(rule(e, "refuses every other role and a token without roles with 403, storing nothing",
                () -> otherRolesRefused(e)));
        rules.add(rule(e, "answers 401 without a valid token, storing nothing", () -> invalidTokensRefused(e)));
        rules.add(rule(e, switch (e.scope()) {
            case TENANT -> "answers 404 for a tenant outside the token or unknown, storing nothing";
            case REGION -> "answers 403 for a region outside the token";
            case PLATFORM -> "answers 403 without every tenant in the token, storing nothing";
        }, () -> outsideTheToken(e)));
        if (RECORD_ID.matcher(e.path()).find() && !e.path().endsWith("{sequence}/retry")) {
            rules.add(rule(e, "answers 404 for an unknown record, storing nothing", () -> unknownRecord(e)));
        }
        if (e.kind() == Kind.COMMAND) {
            rules.add(rule(e, "replays the first answer for a reused Idempotency-Key and answers 422 for another body",
                    () -> idempotent(e)));
            rules.add(rule(e, "answers 400 problem+json for an invalid body, malformed JSON, and 415 for another "
                    + "content type, storing nothing", () -> invalidBodies(e)));
        }
        if (e.ifMatch()) {
            rules.add(rule(e, "answers 412 for a stale If-Match, behind or ahead, and succeeds on the current one",
                    () -> ifMatch(e)));
        }
        for (String pointer : e.timeFields()) {
            rules.add(rule(e, "accepts " + field(pointer) + " within the 5-minute skew and refuses it beyond",
                    () -> futureTime(e, pointer)));
        }
        if (e.kind() == Kind.READ && e.scope() == Scope.TENANT) {
            rules.add(rule(e, "waits for X-Min-Position and answers 503 with Retry-After when projections stay behind",
                    () -> minPosition(e)));
        }
        if (e.paged()) {
            rules.add(rule(e, "pages by cursor: 100 by default, 1000 accepted, 1001 refused", () -> paged(e)));
        }
        return rules.stream();
    }

    private static DynamicTest rule(Endpoint e, String name, Executable check) {
        return DynamicTest.dynamicTest(name, () -> {
            row = e;
            check.execute();
        });
    }

    // --- the rules

    private void eachRoleSucceeds(Endpoint e) {
        for (Role role : e.roles()) {
            Request request = prepare(e);
            succeeded(e, request, send(e, request).token(token(EnumSet.of(role), List.of("*"))).send());
        }
        Request request = prepare(e);
        succeeded(e, request, send(e, request).token(token(EnumSet.allOf(Role.class), List.of("*"))).send());
    }

    private void otherRolesRefused(Endpoint e) {
        Request request = prepare(e);
        List<Set<Role>> refused = new ArrayList<>();
        EnumSet.complementOf(EnumSet.copyOf(e.roles())).forEach(role -> refused.add(EnumSet.of(role)));
        refused.add(EnumSet.complementOf(EnumSet.copyOf(e.roles())));
        refused.add(EnumSet.noneOf(Role.class));
        for (Set<Role> roles : refused) {
            storesNothing(request, () -> assertProblem(send(e, request).token(token(roles, List.of("*")))
                    .header("Idempotency-Key", UUID.randomUUID().toString()).send(), 403));
        }
    }

    private void invalidTokensRefused(Endpoint e) {
        Request request = prepare(e);
        List<String> roles = e.roles().stream().map(Role::claim).toList();
        String expired = Tokens.sign(Tokens.SECRET, "dr-expired", roles, List.of("*"), List.of("*"),
                Instant.now().minusSeconds(60));
        String forged = Tokens.sign("another-secret-of-at-least-thirty-two-bytes!", "dr-forged", roles, List.of("*"),
                List.of("*"), Instant.now().plusSeconds(600));
        storesNothing(request, () -> {
            assertProblem(send(e, request).send(), 401);
            assertProblem(send(e, request).token(expired).send(), 401);
            assertProblem(send(e, request).token(forged).send(), 401);
            assertProblem(send(e, request).token("not-a-jwt").send(), 401);
        });
    }

    private void outsideTheToken(Endpoint e) {
        Request request = prepare(e);
        switch (e.scope()) {
            case TENANT -> {
                String other = freeTenantId();
                storesNothing(request, () -> {
                    assertProblem(send(e, request).token(token(e.roles(), List.of(other))).send(), 404);
                    assertProblem(send(e, request).token(token(e.roles(), List.of(other, "t" + request.tenant())))
                            .send(), 404);
                });
                String unknown = freeTenantId();
                Request elsewhere = new Request(unknown, request.path().replaceFirst(
                        Pattern.quote(request.tenant()), unknown), request.body(), request.version(), null);
                storesNothing(elsewhere, () -> assertProblem(send(e, elsewhere)
                        .token(token(e.roles(), List.of("*"))).send(), 404));
            }
            case REGION -> assertProblem(send(e, request).token(Tokens.sign(Tokens.SECRET, "analyst-eu",
                    List.of("analyst"), List.of("*"), List.of("eu"), Instant.now().plusSeconds(600))).send(), 403);
            case PLATFORM -> storesNothing(request, () -> assertProblem(send(e, request)
                    .token(token(e.roles(), List.of(request.tenant()))).send(), 403));
        }
    }

    private void unknownRecord(Endpoint e) {
        Request request = prepare(e);
        Matcher m = RECORD_ID.matcher(request.path());
        assertThat(m.find()).as(request.path()).isTrue();
        String replaced = m.group(1) != null ? m.group(1) + UUID.randomUUID() : m.group(2) + "nosuch";
        Request unknown = new Request(request.tenant(), request.path().substring(0, m.start()) + replaced
                + request.path().substring(m.end()), request.body(), request.version(), null);
        storesNothing(unknown, () -> assertProblem(send(e, unknown).token(token(e.roles(), List.of("*"))).send(),
                404));
    }

    private void idempotent(Endpoint e) {
        Request request = prepare(e);
        String key = "key-" + UUID.randomUUID();
        Api.Response first = send(e, request).token(token(e.roles(), List.of("*"))).header("Idempotency-Key", key)
                .send();
        succeeded(e, request, first);
        long events = eventCount(request.tenant());
        Api.Response again = send(e, request).token(token(e.roles(), List.of("*"))).header("Idempotency-Key", key)
                .send();
        assertThat(again.status()).as(again.toString()).isEqualTo(first.status());
        assertThat(again.body()).isEqualTo(first.body());
        assertThat(again.header("X-Event-Position")).isEqualTo(first.header("X-Event-Position"));
        assertThat(again.header("ETag")).isEqualTo(first.header("ETag"));
        assertThat(eventCount(request.tenant())).as("events after the replay").isEqualTo(events);

        Request variant = new Request(request.tenant(), request.path(), request.variant(), null, null);
        storesNothing(request, () -> assertProblem(send(e, variant).token(token(e.roles(), List.of("*")))
                .header("Idempotency-Key", key).send(), 422));
    }

    private void invalidBodies(Endpoint e) {
        Request request = prepare(e);
        String token = token(e.roles(), List.of("*"));
        storesNothing(request, () -> {
            Api.Response empty = api.call(e.method(), request.path()).token(token).json("{}")
                    .header("Idempotency-Key", UUID.randomUUID().toString()).send();
            assertProblem(empty, 400);
            assertThat(empty.body().get("errors")).as(empty.toString()).isNotEmpty();
            assertProblem(api.call(e.method(), request.path()).token(token).json("{\"truncated\": ").send(), 400);
            assertProblem(api.call(e.method(), request.path()).token(token).json("[]").send(), 400);
            Api.Response text = api.call(e.method(), request.path()).token(token).json(request.body())
                    .header("Content-Type", "text/plain").send();
            assertProblem(text, 415);
        });
    }

    private void ifMatch(Endpoint e) {
        Request request = prepare(e);
        long version = request.version();
        assertThat(version).as("the fixture changed the record once").isGreaterThanOrEqualTo(2);
        String token = token(e.roles(), List.of("*"));
        storesNothing(request, () -> {
            for (long stale : List.of(version - 1, version + 1)) {
                assertProblem(send(e, request).token(token).header("If-Match", "\"" + stale + "\"").send(), 412);
            }
            assertProblem(send(e, request).token(token).header("If-Match", "\"v-one\"").send(), 400);
        });
        Api.Response current = send(e, request).token(token).header("If-Match", "\"" + version + "\"").send();
        succeeded(e, request, current);
        assertThat(current.body().get("version").asLong()).isGreaterThan(version);
    }

    private void futureTime(Endpoint e, String pointer) {
        String token = token(e.roles(), List.of("*"));
        Request within = withTime(prepare(e), pointer, false);
        succeeded(e, within, send(e, within).token(token).send());

        Request beyond = withTime(prepare(e), pointer, true);
        storesNothing(beyond, () -> assertBadParameter(send(e, beyond).token(token).send(), field(pointer)));
    }

    private void minPosition(Endpoint e) {
        Request request = prepare(e);
        String token = token(e.roles(), List.of("*"));
        long head = head(request.tenant());
        Api.Response atHead = send(e, request).token(token).header("X-Min-Position", Long.toString(head)).send();
        assertThat(atHead.status()).as(atHead.toString()).isEqualTo(e.status());

        Api.Response ahead = send(e, request).token(token).header("X-Min-Position", Long.toString(head + 1_000_000))
                .send();
        assertProblem(ahead, 503);
        assertThat(ahead.header("Retry-After")).isNotBlank();
        assertBadParameter(send(e, request).token(token).header("X-Min-Position", "soon").send(), "X-Min-Position");
    }

    private void paged(Endpoint e) {
        Endpoint.Listing listing = e.pages().apply(this);
        caughtUp(listing.tenant());
        String token = token(e.roles(), List.of("*"));
        String separator = listing.path().contains("?") ? "&" : "?";

        Api.Response first = api.get(listing.path()).token(token).send();
        assertThat(first.status()).as(first.toString()).isEqualTo(200);
        assertThat(first.body().get("items")).as("the default page").hasSize(100);
        String cursor = first.body().get("nextCursor").asText();
        assertThat(cursor).isNotBlank();
        Api.Response rest = api.get(listing.path() + separator + "cursor=" + cursor).token(token).send();
        assertThat(rest.status()).as(rest.toString()).isEqualTo(200);
        assertThat(rest.body().get("items")).hasSize(listing.items() - 100);
        assertThat(rest.body().get("nextCursor").isNull()).as(rest.toString()).isTrue();

        Api.Response all = api.get(listing.path() + separator + "limit=1000").token(token).send();
        assertThat(all.status()).as(all.toString()).isEqualTo(200);
        assertThat(all.body().get("items")).hasSize(listing.items());
        assertThat(all.body().get("nextCursor").isNull()).isTrue();
        List<JsonNode> paged = new ArrayList<>();
        first.body().get("items").forEach(paged::add);
        rest.body().get("items").forEach(paged::add);
        List<JsonNode> whole = new ArrayList<>();
        all.body().get("items").forEach(whole::add);
        assertThat(paged).as("both pages, in order, are the whole list").isEqualTo(whole);
        assertThat(new HashSet<>(paged)).hasSize(listing.items());

        assertBadParameter(api.get(listing.path() + separator + "limit=1001").token(token).send(), "limit");
        assertBadParameter(api.get(listing.path() + separator + "limit=0").token(token).send(), "limit");
        assertBadParameter(api.get(listing.path() + separator + "limit=ten").token(token).send(), "limit");
        assertBadParameter(api.get(listing.path() + separator + "cursor=~").token(token).send(), "cursor");
    }

    // --- what every success and every refusal must show

    /** A request of the row's fixture, once the projections hold the fixture's data and no rebuild runs. */
    private Request prepare(Endpoint e) {
        Request request = e.fixture().apply(this);
        caughtUp(request.tenant());
        return request;
    }

    private void succeeded(Endpoint e, Request request, Api.Response response) {
        assertThat(response.status()).as("%s: %s", e, response).isEqualTo(e.status());
        assertThat(response.contentType()).as(response.toString()).startsWith("application/json");
        JsonNode body = response.body();
        if (e.kind() == Kind.COMMAND) {
            assertThat(response.header("X-Event-Position")).as("X-Event-Position of " + response).isNotNull();
            assertThat(response.position()).as("the position of the command's last event")
                    .isEqualTo(head(request.tenant()));
        }
        if (e.versioned()) {
            assertThat(response.header("ETag")).as("ETag of " + response).matches("\"[1-9][0-9]*\"");
            if (body.has("version")) {
                assertThat(response.header("ETag")).isEqualTo("\"" + body.get("version").asLong() + "\"");
            }
        }
        if (e.paged()) {
            assertThat(body.get("items").isArray()).as(response.toString()).isTrue();
            assertThat(body.has("nextCursor")).as(response.toString()).isTrue();
        }
    }

    /** Runs the refusals, then checks the tenant's stored state is what it was before them. */
    private void storesNothing(Request request, Runnable refusals) {
        caughtUp(request.tenant());
        Map<String, String> before = StoredState.of(request.tenant(), redis, kafka.bootstrapServers());
        refusals.run();
        caughtUp(request.tenant());
        assertThat(StoredState.of(request.tenant(), redis, kafka.bootstrapServers()))
                .as("stored state of %s after a refused request",
                request.tenant()).isEqualTo(before);
    }

    private Api.Call send(Endpoint e, Request request) {
        Api.Call call = api.call(e.method(), request.path());
        return request.body() == null ? call : call.json(request.body());
    }

    private static String token(Set<Role> roles, List<String> tenants) {
        return Tokens.token("matrix-" + roles.size(), roles.stream().map(Role::claim).toList(), tenants);
    }

    /** {@code /observations/0/effectiveAt} as the problem names it: {@code observations[0].effectiveAt}. */
    private static String field(String pointer) {
        return pointer.substring(1).replaceAll("/(\\d+)/", "[$1].");
    }

    /**
     * The request with the time at the pointer 4 minutes ahead of now (within the skew) or 6 minutes ahead
     * (beyond it); for a date, the UTC date of now plus the skew, or the day after it.
     */
    private static Request withTime(Request request, String pointer, boolean beyond) {
        try {
            ObjectNode body = (ObjectNode) JSON.readTree(request.body());
            JsonNode current = body.at(pointer);
            assertThat(current.isTextual()).as("%s in %s", pointer, request.body()).isTrue();
            Instant now = Instant.now();
            String value;
            if (current.asText().length() == "2025-03-01".length()) {
                LocalDate latest = LocalDate.ofInstant(now.plus(Duration.ofMinutes(5)), ZoneOffset.UTC);
                value = (beyond ? latest.plusDays(1) : latest).toString();
            } else {
                value = now.plus(Duration.ofMinutes(beyond ? 6 : 4)).toString();
            }
            int slash = pointer.lastIndexOf('/');
            ((ObjectNode) body.at(pointer.substring(0, slash))).set(pointer.substring(slash + 1), TextNode.valueOf(value));
            return new Request(request.tenant(), request.path(), JSON.writeValueAsString(body), request.version(),
                    request.variant());
        } catch (IOException ex) {
            throw new IllegalStateException(ex);
        }
    }

    private static long head(String tenant) {
        return queryLong("select coalesce(max(global_index), 0) from " + schema(tenant) + ".domain_event_entry");
    }

    // --- Given: the fixtures' data, through the API

    @Override
    public String tenant() {
        return rowTenant.computeIfAbsent(row, r -> newTenant());
    }

    @Override
    public String freshTenant() {
        return newTenant();
    }

    @Override
    public String freeTenantId() {
        return "t" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    }

    @Override
    public String facility(String tenant) {
        return newFacility(tenant, facilityCode());
    }

    @Override
    public String patient(String tenant) {
        return newPatient(tenant, mrn());
    }

    @Override
    public String encounter(String tenant, String patient) {
        return newEncounter(tenant, patient, facility(tenant), "AMB");
    }

    @Override
    public String observation(String tenant, String patient) {
        Api.Response recorded = api.post("/api/v1/" + tenant + "/observations").token(CLINICIAN)
                .json(observationBody(patient, 1)).send();
        assertThat(recorded.status()).as(recorded.toString()).isEqualTo(201);
        return recorded.body().get("observationId").asText();
    }

    @Override
    public long change(String path, String body) {
        Api.Response changed = api.call(path.endsWith("/demographics") ? "PUT" : "POST", path).token(CLINICIAN)
                .json(body).send();
        assertThat(changed.status()).as("%s: %s", path, changed).isIn(200, 201);
        return changed.body().path("version").asLong();
    }

    @Override
    public void read(String path) {
        caughtUp(path.split("/")[3]);
        Api.Response read = api.get(path).token(CLINICIAN).send();
        assertThat(read.status()).as("%s: %s", path, read).isEqualTo(200);
    }

    @Override
    public String facilityCode() {
        return "F" + MRNS.incrementAndGet();
    }

    @Override
    public String mrn() {
        return "MRN-" + MRNS.incrementAndGet();
    }

    @Override
    public String observationBody(String patient, int daysAgo) {
        String at = LocalDate.of(2025, 3, 1).minusDays(daysAgo).atTime(9, 0).atOffset(ZoneOffset.UTC).toInstant()
                .toString();
        return """
                {"patientId": "%s", "code": {"system": "http://loinc.org", "code": "8867-4", "display": "Heart rate"},
                 "category": "vital-signs", "effectiveAt": "%s",
                 "value": {"quantity": {"value": 72, "unit": "/min"}}, "referenceRange": {"low": 60, "high": 100}}"""
                .formatted(patient, at);
    }

    @Override
    public List<String> deadLetters(String tenant, int count) {
        String patient = patient(tenant);
        long before = letters(tenant);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ids.add(UUID.randomUUID().toString());
        }
        ForgedEvents.copy(schema(tenant), patient, ids, true, Map.of("\"Lovelace\"", ForgedEvents.NUL_FAMILY));
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (letters(tenant) < before + count) {
            assertThat(Instant.now()).as("%d dead letters in %s", count, tenant).isBefore(deadline);
            LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
        }
        caughtUp(tenant);
        return ids;
    }

    private static long letters(String tenant) {
        return queryLong("select count(*) from " + schema(tenant) + ".dead_letter_entry where processing_group = ?",
                "patients");
    }

    @Override
    public void caughtUp(String tenant) {
        if (queryLong("select count(*) from clinical_platform.tenant where id = ?", tenant) == 0) {
            return;
        }
        awaitProjectionsCaughtUp(tenant);
        awaitPublished(tenant);
    }
}
