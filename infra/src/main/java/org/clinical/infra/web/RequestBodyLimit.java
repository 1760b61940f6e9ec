package org.clinical.infra.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * Request bodies are bounded ({@link BodyLimits}): a declared {@code Content-Length} over the limit is
 * answered 413 before anything is read; a body without one (chunked) is counted as it is read and its
 * reading fails once over the limit, which {@link ProblemResponses} answers 413 too. Tomcat's
 * {@code maxPostSize} only bounds form posts, not JSON, hence this filter.
 */
public class RequestBodyLimit extends OncePerRequestFilter {

    private static final String LIMIT_ATTRIBUTE = RequestBodyLimit.class.getName() + ".limit";

    private final BodyLimits limits;
    private final ObjectMapper mapper;

    public RequestBodyLimit(BodyLimits limits, ObjectMapper mapper) {
        this.limits = limits;
        this.mapper = mapper;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        long limit = limits.limitFor(request.getRequestURI());
        request.setAttribute(LIMIT_ATTRIBUTE, limit);
        if (request.getContentLengthLong() > limit) {
            response.setStatus(HttpStatus.PAYLOAD_TOO_LARGE.value());
            response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
            mapper.writeValue(response.getOutputStream(), problem(request));
            return;
        }
        chain.doFilter(new Bounded(request, limit), response);
    }

    public static ProblemDetail problem(HttpServletRequest request) {
        Object limit = request.getAttribute(LIMIT_ATTRIBUTE);
        return Problems.correlated(Problems.of(HttpStatus.PAYLOAD_TOO_LARGE, "payload-too-large",
                "Payload too large", "The request body exceeds the limit of "
                        + (limit == null ? "this endpoint" : limit + " bytes") + " for this endpoint"),
                CorrelationIdFilter.of(request));
    }

    /** Whether the failure is (or was caused by) a body read beyond its limit. */
    public static boolean isCause(Throwable failure) {
        Map<Throwable, Boolean> seen = new IdentityHashMap<>();
        for (Throwable t = failure; t != null && seen.put(t, true) == null; t = t.getCause()) {
            if (t instanceof TooLarge) {
                return true;
            }
        }
        return false;
    }

    /** Thrown by the body's stream once more than the limit was read. */
    static final class TooLarge extends IOException {

        TooLarge(long limit) {
            super("request body over " + limit + " bytes", null);
        }
    }

    private static final class Bounded extends HttpServletRequestWrapper {

        private final long limit;
        private ServletInputStream stream;

        Bounded(HttpServletRequest request, long limit) {
            super(request);
            this.limit = limit;
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            if (stream == null) {
                stream = new Counting(super.getInputStream(), limit);
            }
            return stream;
        }
    }

    private static final class Counting extends ServletInputStream {

        private final ServletInputStream in;
        private final long limit;
        private long read;

        Counting(ServletInputStream in, long limit) {
            this.in = in;
            this.limit = limit;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                count(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = in.read(buffer, offset, length);
            if (n > 0) {
                count(n);
            }
            return n;
        }

        private void count(int n) throws TooLarge {
            read += n;
            if (read > limit) {
                throw new TooLarge(limit);
            }
        }

        @Override
        public boolean isFinished() {
            return in.isFinished();
        }

        @Override
        public boolean isReady() {
            return in.isReady();
        }

        @Override
        public void setReadListener(ReadListener listener) {
            in.setReadListener(listener);
        }
    }
}
