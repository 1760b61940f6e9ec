package org.clinical.infra.web;

/**
 * A read asked for {@code X-Min-Position} and what it reads did not reach it in time: 503, Retry-After. The
 * problem type stays {@code projections-behind} whatever was behind (read models, or for reads of what the
 * write side stores, the tenant's event stream itself); the detail says which.
 */
public class ProjectionsBehindException extends RuntimeException {

    private final long position;

    /** @param behind what did not reach the position, as the detail's subject: "The read models" */
    public ProjectionsBehindException(String behind, long position) {
        super(behind + " had not reached position " + position + " within the wait; retry shortly", null, false,
                false);
        this.position = position;
    }

    public long position() {
        return position;
    }
}
