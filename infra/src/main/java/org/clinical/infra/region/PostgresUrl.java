package org.clinical.infra.region;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A {@code jdbc:postgresql://host:port/database?params} URL split around its database name. */
record PostgresUrl(String prefix, String database, String suffix) {

    private static final Pattern URL = Pattern.compile("(jdbc:postgresql://[^/]*/)([^?]+)(\\?.*)?");

    static PostgresUrl parse(String url) {
        Matcher m = URL.matcher(url);
        if (!m.matches()) {
            throw new IllegalArgumentException("not a jdbc:postgresql://host:port/database URL: " + url);
        }
        return new PostgresUrl(m.group(1), m.group(2), m.group(3) == null ? "" : m.group(3));
    }

    String withDatabase(String other) {
        return prefix + other + suffix;
    }
}
