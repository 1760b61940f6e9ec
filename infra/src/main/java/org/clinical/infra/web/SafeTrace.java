package org.clinical.infra.web;

import java.sql.SQLException;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * A stack trace fit for the logs of a clinical system: the class of every exception in the cause chain and
 * its stack frames, never a message (Jackson quotes the input, PostgreSQL quotes parameter values: PHI).
 */
public final class SafeTrace {

    private static final int FRAMES = 40;

    private SafeTrace() {
    }

    /** The class, and for SQL failures the SQLState (a code, never a value). */
    private static String name(Throwable t) {
        return t instanceof SQLException sql && sql.getSQLState() != null
                ? t.getClass().getName() + " [SQLState " + sql.getSQLState() + "]" : t.getClass().getName();
    }

    /** Only the classes of the cause chain, on one line, e.g. for an expected failure logged as a warning. */
    public static String chain(Throwable failure) {
        StringBuilder chain = new StringBuilder();
        Map<Throwable, Boolean> seen = new IdentityHashMap<>();
        for (Throwable t = failure; t != null && seen.put(t, true) == null; t = t.getCause()) {
            chain.append(chain.isEmpty() ? "" : " <- ").append(name(t));
        }
        return chain.toString();
    }

    public static String of(Throwable failure) {
        StringBuilder trace = new StringBuilder();
        Map<Throwable, Boolean> seen = new IdentityHashMap<>();
        for (Throwable t = failure; t != null && seen.put(t, true) == null; t = t.getCause()) {
            trace.append(t == failure ? "" : "\nCaused by: ").append(name(t));
            StackTraceElement[] frames = t.getStackTrace();
            for (int i = 0; i < Math.min(frames.length, FRAMES); i++) {
                trace.append("\n\tat ").append(frames[i]);
            }
            if (frames.length > FRAMES) {
                trace.append("\n\t... ").append(frames.length - FRAMES).append(" more");
            }
        }
        return trace.toString();
    }
}
