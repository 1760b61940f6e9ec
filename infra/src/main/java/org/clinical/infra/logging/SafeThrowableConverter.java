package org.clinical.infra.logging;

import ch.qos.logback.classic.pattern.ThrowableProxyConverter;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.StackTraceElementProxy;
import ch.qos.logback.classic.spi.ThrowableProxy;
import ch.qos.logback.core.CoreConstants;

import java.sql.SQLException;

/**
 * Every stack trace the platform logs, whoever logs it (our code, Spring, Axon, Tomcat, the JDBC driver), is
 * written without exception messages: the class of each exception in the chain and its frames only. Messages
 * quote what they failed on (Jackson the request body, PostgreSQL the parameter values, Axon a rule's reason
 * with an MRN), and in a clinical system that is PHI. Used as {@code %safeEx} through {@code logback-spring.xml};
 * the log message itself stays the logger's (ids only, by the rule of this code base).
 */
public class SafeThrowableConverter extends ThrowableProxyConverter {

    private static final int MAX_FRAMES = 60;

    @Override
    protected String throwableProxyToString(IThrowableProxy proxy) {
        StringBuilder trace = new StringBuilder();
        append(trace, proxy, "", 0);
        return trace.toString();
    }

    private void append(StringBuilder trace, IThrowableProxy proxy, String prefix, int depth) {
        if (proxy == null || depth > 20) {
            return;
        }
        trace.append(prefix).append(proxy.getClassName());
        if (proxy instanceof ThrowableProxy concrete && concrete.getThrowable() instanceof SQLException sql
                && sql.getSQLState() != null) {
            trace.append(" [SQLState ").append(sql.getSQLState()).append(']');
        }
        trace.append(" (message withheld)").append(CoreConstants.LINE_SEPARATOR);
        StackTraceElementProxy[] frames = proxy.getStackTraceElementProxyArray();
        int shown = Math.min(frames.length - proxy.getCommonFrames(), MAX_FRAMES);
        for (int i = 0; i < shown; i++) {
            trace.append('\t').append(frames[i].getSTEAsString()).append(CoreConstants.LINE_SEPARATOR);
        }
        if (frames.length > shown) {
            trace.append("\t... ").append(frames.length - shown).append(" more").append(CoreConstants.LINE_SEPARATOR);
        }
        IThrowableProxy[] suppressed = proxy.getSuppressed();
        if (suppressed != null) {
            for (IThrowableProxy s : suppressed) {
                append(trace, s, "\tSuppressed: ", depth + 1);
            }
        }
        append(trace, proxy.getCause(), "Caused by: ", depth + 1);
    }
}
