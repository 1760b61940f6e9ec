package org.clinical.infra.web;

import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.clinical.infra.ids.RandomIds;
import org.springframework.http.HttpStatus;

import java.io.IOException;
import java.io.Writer;

/**
 * Tomcat's error report for what never reaches the application (a malformed URL or request line): a
 * problem+json body with a new correlation id, in place of Tomcat's HTML page. Errors inside the
 * application are answered by {@link ProblemErrorController} and never get here.
 */
public class ProblemErrorReportValve extends ErrorReportValve {

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int status = response.getStatus();
        if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return;
        }
        Object given = request.getAttribute(CorrelationIdFilter.ATTRIBUTE);
        String correlationId = given != null ? given.toString() : RandomIds.next().toString();
        HttpStatus known = HttpStatus.resolve(status);
        String title = known == null ? "Error" : known.getReasonPhrase();
        String slug = title.toLowerCase().replaceAll("[^a-z0-9]+", "-");
        try {
            response.setContentType("application/problem+json");
            response.setCharacterEncoding("UTF-8");
            response.setHeader(CorrelationIdFilter.HEADER, correlationId);
            Writer writer = response.getReporter();
            if (writer != null) {
                writer.write("{\"type\":\"urn:clinical:problem:" + slug + "\",\"title\":\"" + title + "\",\"status\":"
                        + status + ",\"detail\":\"The request is malformed (URL, request line or headers)\","
                        + "\"correlationId\":\"" + correlationId + "\"}");
                response.finishResponse();
            }
        } catch (IOException | IllegalStateException e) {
            // the connection is gone or the response committed: nothing more to tell the client
        }
    }
}
