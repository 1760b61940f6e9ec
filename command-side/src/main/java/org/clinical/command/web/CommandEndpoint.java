package org.clinical.command.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServletRequest;
import org.clinical.command.gateway.CommandContext;
import org.clinical.command.gateway.CommandResponse;
import org.clinical.command.gateway.TenantCommandGateway;
import org.clinical.infra.eventstore.CommandReceipt;
import org.clinical.infra.security.Caller;
import org.clinical.infra.security.TenantAccess;
import org.clinical.infra.web.BadRequestException;
import org.clinical.infra.web.CorrelationIdFilter;
import org.clinical.infra.web.RecordVersion;
import org.springframework.http.HttpHeaders;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.server.NotAcceptableStatusException;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * What every command endpoint does around its command: checks the tenant, sends the command with the
 * caller, correlation id and {@code Idempotency-Key}, and answers with {@code X-Event-Position} and
 * {@code ETag}.
 */
public class CommandEndpoint {

    public static final String POSITION_HEADER = "X-Event-Position";
    public static final String IDEMPOTENCY_HEADER = "Idempotency-Key";
    private static final Pattern IDEMPOTENCY_KEY = Pattern.compile("[\\x21-\\x7e]{1,255}");

    private final TenantCommandGateway gateway;
    private final TenantAccess access;
    private final ObjectMapper mapper;

    public CommandEndpoint(TenantCommandGateway gateway, TenantAccess access, ObjectMapper mapper) {
        this.gateway = gateway;
        this.access = access;
        this.mapper = mapper;
    }

    /**
     * @param answer what to answer once the command's events are stored: status, body and the resource's
     *               version, from the receipt
     */
    public ResponseEntity<Object> send(String tenantId, HttpServletRequest request, Object body, Object command,
                                       Function<CommandReceipt, Answer> answer) {
        access.require(tenantId);
        return sendToKnownTenant(tenantId, request, body, command, answer);
    }

    /** As {@link #send}, for a tenant that requests cannot see yet: the first command of one being created. */
    public ResponseEntity<Object> sendToKnownTenant(String tenantId, HttpServletRequest request, Object body,
                                                    Object command, Function<CommandReceipt, Answer> answer) {
        requireJsonAccepted(request);
        String idempotencyKey = idempotencyKey(request);
        CommandContext context = new CommandContext(tenantId, Caller.current().subject(),
                CorrelationIdFilter.of(request), idempotencyKey,
                idempotencyKey == null ? null : requestHash(request, body));
        CommandResponse response = gateway.send(context, command, receipt -> {
            Answer a = answer.apply(receipt);
            return new CommandResponse(a.status(), mapper.valueToTree(a.body()), receipt.position(), a.version());
        });
        ResponseEntity.BodyBuilder builder = ResponseEntity.status(response.status())
                .header(POSITION_HEADER, Long.toString(response.position()));
        if (response.version() != null) {
            builder.header(HttpHeaders.ETAG, response.version().etag());
        }
        return builder.body(response.body());
    }

    /**
     * What a command's {@code expectedVersion} takes for an {@code If-Match}: the event store's sequence number,
     * or null when the header is absent or {@code *}.
     */
    public static Long expectedVersion(String ifMatch) {
        RecordVersion version = RecordVersion.parseIfMatch(ifMatch);
        return version == null ? null : version.sequence();
    }

    /**
     * A client that cannot take JSON gets 406 before the command runs, never after its events are stored. An
     * {@code Accept} that does not parse is ignored, as in every answer.
     */
    private static void requireJsonAccepted(HttpServletRequest request) {
        List<MediaType> accepted;
        try {
            accepted = MediaType.parseMediaTypes(Collections.list(request.getHeaders(HttpHeaders.ACCEPT)));
        } catch (InvalidMediaTypeException malformed) {
            return;
        }
        if (!accepted.isEmpty() && accepted.stream().noneMatch(type -> type.isCompatibleWith(MediaType.APPLICATION_JSON))) {
            throw new NotAcceptableStatusException(List.of(MediaType.APPLICATION_JSON));
        }
    }

    private static String idempotencyKey(HttpServletRequest request) {
        String key = request.getHeader(IDEMPOTENCY_HEADER);
        if (key == null) {
            return null;
        }
        if (!IDEMPOTENCY_KEY.matcher(key).matches()) {
            throw new BadRequestException(IDEMPOTENCY_HEADER, "must be 1 to 255 visible ASCII characters");
        }
        return key;
    }

    private String requestHash(HttpServletRequest request, Object body) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update((request.getMethod() + " " + request.getRequestURI() + "\n").getBytes(StandardCharsets.UTF_8));
            digest.update((request.getHeader("If-Match") + "\n").getBytes(StandardCharsets.UTF_8));
            digest.update(mapper.writeValueAsBytes(body));
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException | com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** @param version the resource's version ({@code ETag}), or null for an answer about several */
    public record Answer(int status, Object body, RecordVersion version) {

        public static Answer created(Object body, RecordVersion version) {
            return new Answer(201, body, version);
        }
    }
}
