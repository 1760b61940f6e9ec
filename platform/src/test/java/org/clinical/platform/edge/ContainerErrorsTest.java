package org.clinical.platform.edge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.clinical.platform.support.Api;
import org.clinical.platform.support.PlatformTest;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Errors that Spring MVC or Tomcat produce themselves answer problem+json with the correlation id too:
 * unknown routes, wrong methods and media types, malformed URLs, bodies over the limit (declared or chunked),
 * the error page itself.
 */
class ContainerErrorsTest extends PlatformTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @LocalServerPort
    private int port;

    @Test
    void framework_and_container_errors_are_problems_with_the_correlation_id() throws Exception {
        String tenant = newTenant();
        long events = eventCount(tenant);

        correlated(api.get("/api/v1/" + tenant + "/no-such-thing").token(CLINICIAN).send(), 404);
        correlated(api.call("DELETE", "/api/v1/" + tenant + "/patients").token(CLINICIAN).send(), 405);
        correlated(api.post("/api/v1/" + tenant + "/patients").token(CLINICIAN).header("Content-Type", "text/plain")
                .send(), 415);
        correlated(api.post("/api/v1/" + tenant + "/patients").token(CLINICIAN).header("Accept", "text/html")
                .json(patientBody("MRN-1")).send(), 406);
        correlated(api.get("/error").send(), 404);
        correlated(post(tenant, patientBody("MRN-2"), "Content-Type", "application/json; charset=no-such-charset"), 415);
        assertThat(eventCount(tenant)).as("nothing stored by the 406 nor the 415s").isEqualTo(events);
        Api.Response malformedAccept = post(tenant, patientBody("MRN-3"), "Content-Type", "application/json",
                "Accept", "not a media type");
        assertThat(malformedAccept.status()).as("a malformed Accept is ignored: " + malformedAccept).isEqualTo(201);
        events = eventCount(tenant);
        Api.Response given = api.get("/api/v1/" + tenant + "/no-such-thing").token(CLINICIAN)
                .header("X-Correlation-Id", "trace-42").send();
        assertThat(given.body().get("correlationId").asText()).isEqualTo("trace-42");

        String auth = "Authorization: Bearer " + CLINICIAN + "\r\n";
        for (String refusedByTomcat : List.of("GET /api/v1/" + tenant + "/patients/%zz HTTP/1.1\r\n" + auth,
                "GET /api/v1/" + tenant + "/patients/a%2Fb HTTP/1.1\r\n" + auth,
                "GET /api/v1/" + tenant + "/patients HTTP/1.1\r\nX-Big: " + "b".repeat(20_000) + "\r\n")) {
            RawAnswer answer = raw(refusedByTomcat + "Host: x\r\nConnection: close\r\n\r\n");
            assertThat(answer.status()).as(answer.text()).isEqualTo(400);
            assertThat(answer.text()).contains("application/problem+json", "\"correlationId\"", "X-Correlation-Id");
        }
        assertThat(eventCount(tenant)).isEqualTo(events);
    }

    @Test
    void bodies_over_the_limit_are_413_declared_or_chunked_and_a_batch_of_1000_fits_its_limit() throws Exception {
        String tenant = newTenant();
        String facility = newFacility(tenant, "GEN");
        String patient = newPatient(tenant, "MRN-1");
        String stay = newEncounter(tenant, patient, facility, "IMP");
        long events = eventCount(tenant);
        String huge = patientBody("MRN-2").replace("Lovelace", "L".repeat(1_200_000));

        correlated(send(tenant, "/patients", HttpRequest.BodyPublishers.ofString(huge)), 413);
        String many = patientBody("MRN-2").replace("\"gender\"", "\"identifiers\": [" + String.join(",",
                Collections.nCopies(40_000, "{\"system\": \"s\", \"value\": \"v\"}")) + "], \"gender\"");
        correlated(send(tenant, "/patients", HttpRequest.BodyPublishers.ofInputStream(
                () -> new ByteArrayInputStream(many.getBytes(StandardCharsets.UTF_8)))), 413);
        List<String> observations = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            observations.add(heartRate(patient, stay, 60 + i % 40));
        }
        String batch = "{\"observations\": [" + String.join(",", observations) + "]}";
        assertThat(batch.length()).as("1,000 realistic observations, in bytes").isLessThan(8 * 1024 * 1024 / 4);
        correlated(send(tenant, "/observations/batch", HttpRequest.BodyPublishers.ofString(
                batch + " ".repeat(8 * 1024 * 1024))), 413);
        assertThat(eventCount(tenant)).isEqualTo(events);
        Api.Response accepted = api.post("/api/v1/" + tenant + "/observations/batch").token(CLINICIAN).json(batch).send();
        assertThat(accepted.status()).as(accepted.toString()).isEqualTo(201);
    }

    private Api.Response send(String tenant, String path, HttpRequest.BodyPublisher body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/" + tenant + path))
                .header("Authorization", "Bearer " + CLINICIAN).header("Content-Type", "application/json")
                .POST(body).build();
        return new Api.Response(HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString()));
    }

    private Api.Response post(String tenant, String body, String... headers) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/" + tenant
                        + "/patients")).header("Authorization", "Bearer " + CLINICIAN).headers(headers)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        return new Api.Response(HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString()));
    }

    private static void correlated(Api.Response response, int status) {
        assertProblem(response, status);
        JsonNode body = response.body();
        assertThat(response.header("X-Correlation-Id")).as(response.toString()).isNotBlank();
        assertThat(body.path("correlationId").asText()).as(response.toString())
                .isEqualTo(response.header("X-Correlation-Id"));
    }

    private record RawAnswer(int status, String text) {
    }

    /** A request as raw bytes, for what an HTTP client library refuses to send (e.g. a malformed URL). */
    private RawAnswer raw(String request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            int status = Integer.parseInt(text.substring(9, 12));
            return new RawAnswer(status, text);
        }
    }
}
