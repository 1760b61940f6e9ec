package org.clinical.infra.web;

/** A read asked for {@code X-Min-Position} and the projections did not reach it in time: 503, Retry-After. */
public class ProjectionsBehindException extends RuntimeException {

    private final long position;

    public ProjectionsBehindException(long position) {
        super("The read models have not reached position " + position + " yet; retry shortly", null, false, false);
        this.position = position;
    }

    public long position() {
        return position;
    }
}
