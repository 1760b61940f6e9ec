package org.clinical.platform.contract;

import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * One row of the contract table: an endpoint of {@code API.md} (or one the platform adds, documented in its
 * OpenAPI description) with what the contract's conventions demand of it.
 *
 * @param method     the HTTP method
 * @param path       the path as {@code API.md} writes it, e.g. {@code /api/v1/{tenant}/patients/{id}/merge}
 * @param kind       what the endpoint does: a command (events), an admin action (no events) or a read
 * @param scope      whose data it touches: one tenant's, a region's, or the platform's (tenant creation)
 * @param roles      the roles that may call it; every other role answers 403
 * @param status     the status of a success
 * @param ifMatch    whether it takes {@code If-Match: "<version>"} (commands on an existing patient, encounter or
 *                   observation)
 * @param versioned  whether a success carries {@code ETag: "<version>"}
 * @param paged      whether it answers a cursor-paginated list
 * @param timeFields the body's times and dates that the future rule applies to, as JSON pointers
 * @param fixture    makes a request that succeeds, on data of its own
 * @param pages      for a paged list: makes more than 100 items to list, else null
 */
record Endpoint(String method, String path, Kind kind, Scope scope, Set<Role> roles, int status, boolean ifMatch,
                boolean versioned, boolean paged, List<String> timeFields, Function<Given, Request> fixture,
                Function<Given, Listing> pages) {

    enum Kind {
        /** Appends events: X-Event-Position, Idempotency-Key. */
        COMMAND,
        /** Changes the read side of a tenant without an event (rebuilds, dead-letter retries). */
        ADMIN_ACTION,
        READ
    }

    enum Scope { TENANT, REGION, PLATFORM }

    enum Role {
        ADMIN, CLINICIAN, ANALYST, AUDITOR;

        String claim() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    boolean changes() {
        return kind != Kind.READ;
    }

    boolean hasBody() {
        return fixture != null && kind == Kind.COMMAND;
    }

    /** {@code POST /api/v1/{tenant}/patients}, as the tests' names show it. */
    @Override
    public String toString() {
        return method + " " + path;
    }

    /**
     * A request that succeeds.
     *
     * @param tenant  the tenant whose stored state the request may change (the new one, for tenant creation)
     * @param path    the concrete path
     * @param body    the JSON body, or null
     * @param version the current version of the record it changes, for If-Match rows (at least 2, so that a
     *                version behind exists), else null
     * @param variant another valid body for the same path, for an Idempotency-Key reused with a different body
     */
    record Request(String tenant, String path, String body, Long version, String variant) {

        static Request read(String tenant, String path) {
            return new Request(tenant, path, null, null, null);
        }
    }

    /** A list path and how many items it holds (more than one page of 100). */
    record Listing(String tenant, String path, int items) {
    }
}
