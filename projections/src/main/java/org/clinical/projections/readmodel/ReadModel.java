package org.clinical.projections.readmodel;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What a projection owns in the database: the DDL of its read-model tables (run in a fresh schema for every
 * generation, unqualified names) and the analysts' views over them (run in the tenant's analytics schema,
 * {@code {rm}} naming the live read-model schema), and what brings a generation made from an older DDL up to the
 * code's (run in the live generation and in one being built at every start). All are classpath resources next
 * to the projection.
 *
 * @param name    the processing group's name: lower case, at most 12 characters, no "__"
 * @param ddl     classpath resource of the tables' DDL
 * @param views   classpath resource of the analysts' views, {@code null} when there are none
 * @param upgrade classpath resource of idempotent statements (unqualified names) that let the code write and read
 *                a generation made from an older DDL, and take no lock when there is nothing to change (they run
 *                at every start); {@code null} when there are none
 */
public record ReadModel(String name, String ddl, String views, String upgrade) {

    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9]{1,11}");

    public ReadModel {
        Objects.requireNonNull(ddl, "ddl");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("bad projection name " + name);
        }
    }

    public ReadModel(String name, String ddl, String views) {
        this(name, ddl, views, null);
    }
}
