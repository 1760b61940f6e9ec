package org.clinical.infra.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.clinical.infra.ids.RandomIds;
import org.slf4j.MDC;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.util.regex.Pattern;

/**
 * Every request has a correlation id: the caller's {@code X-Correlation-Id} when it is a sensible token,
 * else a new one. It is echoed on the response, logged, stored in the metadata of every event and named in
 * every problem. An error dispatch ({@code /error}) keeps the id of the request that failed.
 */
public class CorrelationIdFilter extends OncePerRequestFilter {

    public static final String HEADER = "X-Correlation-Id";
    public static final String ATTRIBUTE = CorrelationIdFilter.class.getName();
    public static final String MDC_KEY = "correlationId";
    private static final Pattern ACCEPTED = Pattern.compile("[A-Za-z0-9._:/+=-]{1,128}");

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String correlationId = (String) request.getAttribute(ATTRIBUTE);
        if (correlationId == null) {
            String given = request.getHeader(HEADER);
            correlationId = given != null && ACCEPTED.matcher(given).matches() ? given : RandomIds.next().toString();
            request.setAttribute(ATTRIBUTE, correlationId);
        }
        response.setHeader(HEADER, correlationId);
        MDC.put(MDC_KEY, correlationId);
        try {
            chain.doFilter(request, response);
        } finally {
            MDC.remove(MDC_KEY);
        }
    }

    @Override
    protected boolean shouldNotFilterErrorDispatch() {
        return false;
    }

    public static String of(HttpServletRequest request) {
        Object id = request.getAttribute(ATTRIBUTE);
        return id == null ? RandomIds.next().toString() : id.toString();
    }
}
