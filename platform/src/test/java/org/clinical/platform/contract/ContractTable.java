package org.clinical.platform.contract;

import org.clinical.platform.contract.Endpoint.Kind;
import org.clinical.platform.contract.Endpoint.Listing;
import org.clinical.platform.contract.Endpoint.Request;
import org.clinical.platform.contract.Endpoint.Role;
import org.clinical.platform.contract.Endpoint.Scope;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

import static org.clinical.platform.contract.Endpoint.Role.ADMIN;
import static org.clinical.platform.contract.Endpoint.Role.ANALYST;
import static org.clinical.platform.contract.Endpoint.Role.AUDITOR;
import static org.clinical.platform.contract.Endpoint.Role.CLINICIAN;

/**
 * Every endpoint of the contract ({@code ../shared/API.md}) and the ones the platform adds (dead letters), with
 * what its conventions demand of each: roles, success status, If-Match, ETag, pagination and the times the
 * future rule applies to. {@link ContractMatrixTest} walks it; {@link ContractCoverageTest} fails the build when a
 * controller mapping or an OpenAPI path has no row here, or a row has no mapping.
 */
final class ContractTable {

    private static final Set<Role> READERS = EnumSet.of(CLINICIAN, ANALYST, AUDITOR);
    /** The 101 days of {@link #encountersOn101Days}, as a query. */
    private static final String DAYS = "?from=2025-01-01&to=2025-04-11";

    static final List<Endpoint> ROWS = List.of(
            // Tenants and facilities (admin)
            row("POST", "/api/v1/tenants", Kind.COMMAND, Scope.PLATFORM, Set.of(ADMIN), 201)
                    .versioned().given(g -> {
                        String id = g.freeTenantId();
                        return new Request(id, "/api/v1/tenants", tenantBody(id, "Hospital"), null,
                                tenantBody(id, "Another hospital"));
                    }).build(),
            row("GET", "/api/v1/tenants/{tenant}", Kind.READ, Scope.TENANT, Set.of(ADMIN), 200)
                    .given(g -> {
                        String t = g.tenant();
                        return Request.read(t, "/api/v1/tenants/" + t);
                    }).build(),
            row("POST", "/api/v1/{tenant}/facilities", Kind.COMMAND, Scope.TENANT, Set.of(ADMIN), 201)
                    .versioned().given(g -> {
                        String t = g.tenant();
                        return new Request(t, "/api/v1/" + t + "/facilities", facilityBody(g.facilityCode()), null,
                                facilityBody(g.facilityCode()));
                    }).build(),
            // a read of the "facilities" read model: X-Min-Position waits for that projection
            row("GET", "/api/v1/{tenant}/facilities", Kind.READ, Scope.TENANT, Set.of(ADMIN, CLINICIAN, ANALYST), 200)
                    .given(g -> {
                        String t = g.tenant();
                        g.facility(t);
                        return Request.read(t, "/api/v1/" + t + "/facilities");
                    }).pages(g -> {
                        String t = g.freshTenant();
                        for (int i = 0; i < 101; i++) {
                            g.facility(t);
                        }
                        return new Listing(t, "/api/v1/" + t + "/facilities", 101);
                    }).build(),

            // Registration (clinician)
            row("POST", "/api/v1/{tenant}/patients", Kind.COMMAND, Scope.TENANT, Set.of(CLINICIAN), 201)
                    .versioned().times("/birthDate").given(g -> {
                        String t = g.tenant();
                        return new Request(t, "/api/v1/" + t + "/patients", patientBody(g.mrn(), "Ada"), null,
                                patientBody(g.mrn(), "Grace"));
                    }).build(),
            row("PUT", "/api/v1/{tenant}/patients/{id}/demographics", Kind.COMMAND, Scope.TENANT, Set.of(CLINICIAN), 200)
                    .versioned().ifMatch().times("/birthDate").given(g -> {
                        String t = g.tenant();
                        Changed patient = patientChanged(g, t);
                        return new Request(t, patient.path() + "/demographics", demographicsBody("Ada"),
                                patient.version(), demographicsBody("Byron"));
                    }).build(),
            row("POST", "/api/v1/{tenant}/patients/{id}/merge", Kind.COMMAND, Scope.TENANT, Set.of(CLINICIAN), 200)
                    .versioned().ifMatch().given(g -> {
                        String t = g.tenant();
                        Changed patient = patientChanged(g, t);
                        return new Request(t, patient.path() + "/merge",
                                "{\"survivorId\": \"" + g.patient(t) + "\"}", patient.version(),
                                "{\"survivorId\": \"" + g.patient(t) + "\"}");
                    }).build(),
            row("POST", "/api/v1/{tenant}/patients/{id}/deceased", Kind.COMMAND, Scope.TENANT, Set.of(CLINICIAN), 200)
                    .versioned().ifMatch().times("/deceasedAt").given(g -> {
                        String t = g.tenant();
                        Changed patient = patientChanged(g, t);
                        return new Request(t, patient.path() + "/deceased",
                                "{\"deceasedAt\": \"2025-03-02T10:00:00Z\"}", patient.version(),
                                "{\"deceasedAt\": \"2025-03-03T10:00:00Z\"}");
                    }).build(),

            // Encounters (clinician)
            row("POST", "/api/v1/{tenant}/encounters", Kind.COMMAND, Scope.TENANT, Set.of(CLINICIAN), 201)
                    .versioned().times("/startedAt").given(g -> {
                        String t = g.tenant();
                        String patient = g.patient(t);
                        String facility = g.facility(t);
                        return new Request(t, "/api/v1/" + t + "/encounters", encounterBody(patient, facility, "AMB",
                                "Ward 1", "2025-03-01T08:15:00Z"), null,
                                encounterBody(patient, facility, "AMB", "Ward 2", "2025-03-01T08:15:00Z"));
                    }).build(),
            row("POST", "/api/v1/{tenant}/encounters/{id}/transfer", Kind.COMMAND, Scope.TENANT, Set.of(CLINICIAN), 200)
                    .versioned().ifMatch().times("/at").given(g -> {
                        String t = g.tenant();
                        Changed encounter = encounterTransferred(g, t);
                        return new Request(t, encounter.path() + "/transfer",
                                transferBody("Ward 3", "2025-03-01T10:00:00Z"), encounter.version(),
                                transferBody("Ward 4", "2025-03-01T10:00:00Z"));
                    }).build(),
            row("POST", "/api/v1/{tenant}/encounters/{id}/discharge", Kind.COMMAND, Scope.TENANT, Set.of(CLINICIAN), 200)
                    .versioned().ifMatch().times("/at").given(g -> {
                        String t = g.tenant();
                        Changed encounter = encounterTransferred(g, t);
                        return new Request(t, encounter.path() + "/discharge", "{\"at\": \"2025-03-02T10:00:00Z\"}",
                                encounter.version(),
                                "{\"at\": \"2025-03-02T11:00:00Z\", \"disposition\": \"home\"}");
                    }).build(),
            row("POST", "/api/v1/{tenant}/encounters/{id}/cancel", Kind.COMMAND, Scope.TENANT, Set.of(CLINICIAN), 200)
                    .versioned().ifMatch().given(g -> {
                        String t = g.tenant();
                        Changed encounter = encounterTransferred(g, t);
                        return new Request(t, encounter.path() + "/cancel", "{\"reason\": \"wrong patient\"}",
                                encounter.version(),
                                "{\"reason\": \"duplicate\"}");
                    }).build(),

            // Observations (clinician)
            row("POST", "/api/v1/{tenant}/observations", Kind.COMMAND, Scope.TENANT, Set.of(CLINICIAN), 201)
                    .versioned().times("/effectiveAt").given(g -> {
                        String t = g.tenant();
                        String patient = g.patient(t);
                        return new Request(t, "/api/v1/" + t + "/observations", g.observationBody(patient, 1), null,
                                g.observationBody(patient, 2));
                    }).build(),
            row("POST", "/api/v1/{tenant}/observations/batch", Kind.COMMAND, Scope.TENANT, Set.of(CLINICIAN), 201)
                    .times("/observations/0/effectiveAt").given(g -> {
                        String t = g.tenant();
                        String patient = g.patient(t);
                        return new Request(t, "/api/v1/" + t + "/observations/batch",
                                "{\"observations\": [" + g.observationBody(patient, 1) + ", "
                                        + g.observationBody(patient, 2) + "]}", null,
                                "{\"observations\": [" + g.observationBody(patient, 3) + "]}");
                    }).build(),
            row("POST", "/api/v1/{tenant}/observations/{id}/amend", Kind.COMMAND, Scope.TENANT, Set.of(CLINICIAN), 200)
                    .versioned().ifMatch().given(g -> {
                        String t = g.tenant();
                        Changed observation = observationAmended(g, t);
                        return new Request(t, observation.path() + "/amend", amendBody(81), observation.version(),
                                amendBody(82));
                    }).build(),
            row("POST", "/api/v1/{tenant}/observations/{id}/entered-in-error", Kind.COMMAND, Scope.TENANT,
                    Set.of(CLINICIAN), 200)
                    .versioned().ifMatch().given(g -> {
                        String t = g.tenant();
                        Changed observation = observationAmended(g, t);
                        return new Request(t, observation.path() + "/entered-in-error",
                                "{\"reason\": \"wrong patient\"}", observation.version(),
                                "{\"reason\": \"wrong device\"}");
                    }).build(),

            // Reads (clinician, analyst, auditor)
            row("GET", "/api/v1/{tenant}/patients/{id}", Kind.READ, Scope.TENANT, READERS, 200).versioned()
                    .given(g -> {
                        String t = g.tenant();
                        return Request.read(t, "/api/v1/" + t + "/patients/" + g.patient(t));
                    }).build(),
            row("GET", "/api/v1/{tenant}/patients", Kind.READ, Scope.TENANT, READERS, 200)
                    .given(g -> {
                        String t = g.tenant();
                        g.patient(t);
                        return Request.read(t, "/api/v1/" + t + "/patients?name=lovelace");
                    }).pages(g -> {
                        String t = g.freshTenant();
                        for (int i = 0; i < 101; i++) {
                            g.patient(t);
                        }
                        return new Listing(t, "/api/v1/" + t + "/patients?name=lovelace", 101);
                    }).build(),
            row("GET", "/api/v1/{tenant}/patients/{id}/encounters", Kind.READ, Scope.TENANT, READERS, 200)
                    .given(g -> {
                        String t = g.tenant();
                        String patient = g.patient(t);
                        g.encounter(t, patient);
                        return Request.read(t, "/api/v1/" + t + "/patients/" + patient + "/encounters");
                    }).pages(g -> {
                        String t = g.freshTenant();
                        String patient = g.patient(t);
                        for (int i = 0; i < 101; i++) {
                            g.encounter(t, patient);
                        }
                        return new Listing(t, "/api/v1/" + t + "/patients/" + patient + "/encounters", 101);
                    }).build(),
            row("GET", "/api/v1/{tenant}/patients/{id}/observations", Kind.READ, Scope.TENANT, READERS, 200)
                    .given(g -> {
                        String t = g.tenant();
                        String patient = g.patient(t);
                        g.observation(t, patient);
                        return Request.read(t, "/api/v1/" + t + "/patients/" + patient + "/observations");
                    }).pages(g -> {
                        String t = g.freshTenant();
                        String patient = g.patient(t);
                        StringBuilder batch = new StringBuilder("{\"observations\": [");
                        for (int i = 0; i < 101; i++) {
                            batch.append(i == 0 ? "" : ", ").append(g.observationBody(patient, i));
                        }
                        g.change("/api/v1/" + t + "/observations/batch", batch.append("]}").toString());
                        return new Listing(t, "/api/v1/" + t + "/patients/" + patient + "/observations", 101);
                    }).build(),
            row("GET", "/api/v1/{tenant}/patients/{id}/vitals/latest", Kind.READ, Scope.TENANT, READERS, 200)
                    .given(g -> {
                        String t = g.tenant();
                        String patient = g.patient(t);
                        g.observation(t, patient);
                        return Request.read(t, "/api/v1/" + t + "/patients/" + patient + "/vitals/latest");
                    }).build(),
            row("GET", "/api/v1/{tenant}/census", Kind.READ, Scope.TENANT, READERS, 200)
                    .given(g -> {
                        String t = g.tenant();
                        g.encounter(t, g.patient(t));
                        return Request.read(t, "/api/v1/" + t + "/census");
                    }).pages(g -> {
                        String t = encountersOn101Days(g);
                        return new Listing(t, "/api/v1/" + t + "/census", 101);
                    }).build(),

            // Analytics (analyst)
            row("GET", "/api/v1/{tenant}/analytics/encounters/daily", Kind.READ, Scope.TENANT, Set.of(ANALYST), 200)
                    .given(g -> {
                        String t = g.freshTenant();
                        g.encounter(t, g.patient(t));
                        return Request.read(t, "/api/v1/" + t + "/analytics/encounters/daily?from=2025-01-01&to=2025-12-31");
                    }).pages(g -> {
                        String t = encountersOn101Days(g);
                        return new Listing(t, "/api/v1/" + t + "/analytics/encounters/daily" + DAYS, 101);
                    }).build(),
            row("GET", "/api/v1/{tenant}/analytics/observations/stats", Kind.READ, Scope.TENANT, Set.of(ANALYST), 200)
                    .given(g -> {
                        String t = g.freshTenant();
                        g.observation(t, g.patient(t));
                        return Request.read(t, "/api/v1/" + t + "/analytics/observations/stats?code=8867-4");
                    }).build(),
            row("GET", "/api/v1/regions/{region}/analytics/encounters/daily", Kind.READ, Scope.REGION, Set.of(ANALYST), 200)
                    .given(g -> {
                        String t = g.tenant();
                        g.encounter(t, g.patient(t));
                        return Request.read(t, "/api/v1/regions/default/analytics/encounters/daily?from=2025-01-01&to=2025-12-31");
                    }).pages(g -> new Listing(encountersOn101Days(g), "/api/v1/regions/default/analytics/encounters/daily"
                            + DAYS, 101)).build(),

            // Audit (auditor): reads of the event store, X-Min-Position waits for the "audit" projection
            row("GET", "/api/v1/{tenant}/audit/events", Kind.READ, Scope.TENANT, Set.of(AUDITOR), 200)
                    .given(g -> {
                        String t = g.tenant();
                        g.patient(t);
                        return Request.read(t, "/api/v1/" + t + "/audit/events");
                    }).pages(g -> {
                        String t = g.freshTenant();
                        for (int i = 0; i < 101; i++) {
                            g.patient(t);
                        }
                        return new Listing(t, "/api/v1/" + t + "/audit/events?type=PatientRegistered", 101);
                    }).build(),
            row("GET", "/api/v1/{tenant}/audit/patients/{id}/events", Kind.READ, Scope.TENANT, Set.of(AUDITOR), 200)
                    .given(g -> {
                        String t = g.tenant();
                        String patient = g.patient(t);
                        g.encounter(t, patient);
                        return Request.read(t, "/api/v1/" + t + "/audit/patients/" + patient + "/events");
                    }).pages(g -> {
                        String t = g.freshTenant();
                        String patient = g.patient(t);
                        for (int i = 0; i < 100; i++) {
                            g.encounter(t, patient);
                        }
                        return new Listing(t, "/api/v1/" + t + "/audit/patients/" + patient + "/events", 101);
                    }).build(),
            // the chart as of an instant, folded from the events (waits for the "audit" projection to hold the stream)
            row("GET", "/api/v1/{tenant}/audit/patients/{id}", Kind.READ, Scope.TENANT, Set.of(AUDITOR), 200)
                    .given(g -> {
                        String t = g.tenant();
                        String patient = g.patient(t);
                        g.encounter(t, patient);
                        return Request.read(t, "/api/v1/" + t + "/audit/patients/" + patient + "?asOf="
                                + java.time.Instant.now().plusSeconds(1));
                    }).build(),
            // the PHI access log: entries are written by the reads of patient-level data, before they answer
            row("GET", "/api/v1/{tenant}/audit/access-log", Kind.READ, Scope.TENANT, Set.of(AUDITOR), 200)
                    .given(g -> {
                        String t = g.tenant();
                        g.read("/api/v1/" + t + "/patients/" + g.patient(t));
                        return Request.read(t, "/api/v1/" + t + "/audit/access-log");
                    }).pages(g -> {
                        String t = g.freshTenant();
                        String patient = g.patient(t);
                        for (int i = 0; i < 101; i++) {
                            g.read("/api/v1/" + t + "/patients/" + patient);
                        }
                        return new Listing(t, "/api/v1/" + t + "/audit/access-log?patientId=" + patient, 101);
                    }).build(),
            // the tamper-evident chain and its checkpoints, checked
            row("GET", "/api/v1/{tenant}/audit/verify", Kind.READ, Scope.TENANT, Set.of(AUDITOR), 200)
                    .given(g -> {
                        String t = g.tenant();
                        g.patient(t);
                        return Request.read(t, "/api/v1/" + t + "/audit/verify");
                    }).build(),

            // Projections (admin), and their dead letters (added by the platform)
            row("GET", "/api/v1/{tenant}/projections", Kind.READ, Scope.TENANT, Set.of(ADMIN), 200)
                    .given(g -> {
                        String t = g.tenant();
                        return Request.read(t, "/api/v1/" + t + "/projections");
                    }).build(),
            row("POST", "/api/v1/{tenant}/projections/{name}/rebuild", Kind.ADMIN_ACTION, Scope.TENANT, Set.of(ADMIN), 202)
                    .given(g -> {
                        String t = g.tenant();
                        g.patient(t);
                        return Request.read(t, "/api/v1/" + t + "/projections/patients/rebuild");
                    }).build(),
            row("GET", "/api/v1/{tenant}/projections/{name}/dead-letters", Kind.READ, Scope.TENANT, Set.of(ADMIN), 200)
                    .given(g -> {
                        String t = g.tenant();
                        g.deadLetters(t, 1);
                        return Request.read(t, "/api/v1/" + t + "/projections/patients/dead-letters");
                    }).pages(g -> {
                        String t = g.freshTenant();
                        g.deadLetters(t, 101);
                        return new Listing(t, "/api/v1/" + t + "/projections/patients/dead-letters", 101);
                    }).build(),
            row("POST", "/api/v1/{tenant}/projections/{name}/dead-letters/retry", Kind.ADMIN_ACTION, Scope.TENANT,
                    Set.of(ADMIN), 200)
                    .given(g -> {
                        String t = g.tenant();
                        g.deadLetters(t, 1);
                        return Request.read(t, "/api/v1/" + t + "/projections/patients/dead-letters/retry");
                    }).build(),
            row("POST", "/api/v1/{tenant}/projections/{name}/dead-letters/{sequence}/retry", Kind.ADMIN_ACTION,
                    Scope.TENANT, Set.of(ADMIN), 200)
                    .given(g -> {
                        String t = g.tenant();
                        String sequence = g.deadLetters(t, 1).get(0);
                        return Request.read(t, "/api/v1/" + t + "/projections/patients/dead-letters/" + sequence
                                + "/retry");
                    }).build());

    private ContractTable() {
    }

    static String tenantBody(String id, String name) {
        return "{\"id\": \"%s\", \"name\": \"%s\", \"region\": \"default\"}".formatted(id, name);
    }

    static String facilityBody(String code) {
        return "{\"code\": \"%s\", \"name\": \"Facility %s\", \"type\": \"hospital\", \"beds\": 12}".formatted(code, code);
    }

    static String patientBody(String mrn, String given) {
        return """
                {"mrn": "%s", "name": {"family": "Lovelace", "given": ["%s"]}, "birthDate": "1980-12-10",
                 "gender": "female"}""".formatted(mrn, given);
    }

    /** A record changed once after its creation, so that an {@code If-Match} behind it exists: its path and version. */
    record Changed(String path, long version) {
    }

    static Changed patientChanged(Given g, String tenant) {
        String path = "/api/v1/" + tenant + "/patients/" + g.patient(tenant);
        return new Changed(path, g.change(path + "/demographics", demographicsBody("Augusta")));
    }

    static Changed encounterTransferred(Given g, String tenant) {
        String path = "/api/v1/" + tenant + "/encounters/" + g.encounter(tenant, g.patient(tenant));
        return new Changed(path, g.change(path + "/transfer", transferBody("Ward 2", "2025-03-01T09:00:00Z")));
    }

    static Changed observationAmended(Given g, String tenant) {
        String path = "/api/v1/" + tenant + "/observations/" + g.observation(tenant, g.patient(tenant));
        return new Changed(path, g.change(path + "/amend", amendBody(80)));
    }

    static String demographicsBody(String given) {
        return """
                {"name": {"family": "Lovelace", "given": ["%s"]}, "birthDate": "1980-12-10", "gender": "female"}"""
                .formatted(given);
    }

    static String encounterBody(String patient, String facility, String encounterClass, String location,
                                String startedAt) {
        return """
                {"patientId": "%s", "class": "%s", "facilityId": "%s", "location": "%s", "startedAt": "%s"}"""
                .formatted(patient, encounterClass, facility, location, startedAt);
    }

    static String transferBody(String location, String at) {
        return "{\"location\": \"%s\", \"at\": \"%s\"}".formatted(location, at);
    }

    static String amendBody(int value) {
        return "{\"value\": {\"quantity\": {\"value\": %d, \"unit\": \"/min\"}}, \"reason\": \"misread\"}"
                .formatted(value);
    }

    /**
     * A new tenant with one open encounter on each of the 101 days from 2025-01-01 to 2025-04-11, each in a room of
     * its own (101 census groups); answers the tenant.
     */
    private static String encountersOn101Days(Given g) {
        String t = g.freshTenant();
        String patient = g.patient(t);
        String facility = g.facility(t);
        LocalDate first = LocalDate.of(2025, 1, 1);
        for (int i = 0; i < 101; i++) {
            String startedAt = first.plusDays(i).atTime(8, 15).atOffset(ZoneOffset.UTC).toInstant().toString();
            g.change("/api/v1/" + t + "/encounters", encounterBody(patient, facility, "AMB", "Room " + i, startedAt));
        }
        return t;
    }

    private static Builder row(String method, String path, Kind kind, Scope scope, Set<Role> roles, int status) {
        return new Builder(method, path, kind, scope, roles, status);
    }

    private static final class Builder {
        private final String method;
        private final String path;
        private final Kind kind;
        private final Scope scope;
        private final Set<Role> roles;
        private final int status;
        private boolean ifMatch;
        private boolean versioned;
        private List<String> times = List.of();
        private Function<Given, Request> fixture;
        private Function<Given, Listing> pages;

        private Builder(String method, String path, Kind kind, Scope scope, Set<Role> roles, int status) {
            this.method = method;
            this.path = path;
            this.kind = kind;
            this.scope = scope;
            this.roles = roles;
            this.status = status;
        }

        Builder ifMatch() {
            ifMatch = true;
            return this;
        }

        Builder versioned() {
            versioned = true;
            return this;
        }

        Builder times(String... pointers) {
            times = List.of(pointers);
            return this;
        }

        Builder given(Function<Given, Request> fixture) {
            this.fixture = fixture;
            return this;
        }

        Builder pages(Function<Given, Listing> pages) {
            this.pages = pages;
            return this;
        }

        Endpoint build() {
            return new Endpoint(method, path, kind, scope, roles, status, ifMatch, versioned, pages != null, times,
                    fixture, pages);
        }
    }
}
