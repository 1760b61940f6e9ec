package org.clinical.infra.security;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jwt.JWTParser;
import jakarta.servlet.http.HttpServletResponse;
import org.clinical.infra.web.Problems;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AuthorizeHttpRequestsConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.config.web.PathPatternRequestMatcherBuilderFactoryBean;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.web.SecurityFilterChain;

import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Instant;
import java.util.Objects;

/**
 * Every endpoint but health and the API description needs a JWT: HS256 with {@code CLINICAL_JWT_SECRET}, or
 * RS256 from {@code CLINICAL_JWT_JWKS_URI} (only RS256 when no secret is set beside it). The {@code roles} claim
 * becomes authorities; {@code tenants} and {@code regions} are checked per request ({@link TenantAccess}).
 * Roles are checked here, on paths, before a body is even read: a caller without the role gets 403, never a
 * validation answer. Failures answer problem+json.
 */
@Configuration
@EnableConfigurationProperties(JwtProperties.class)
public class SecurityConfiguration {

    @Bean
    SecurityFilterChain api(HttpSecurity http, ObjectMapper mapper) throws Exception {
        return http
                .csrf(csrf -> csrf.disable())
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .authorizeHttpRequests(SecurityConfiguration::roleRules)
                .oauth2ResourceServer(rs -> rs
                        .jwt(jwt -> jwt.jwtAuthenticationConverter(Caller.Authenticated::of))
                        .authenticationEntryPoint((req, res, e) -> write(res, mapper, Problems.of(
                                HttpStatus.UNAUTHORIZED, "unauthorized", "Unauthorized",
                                "A valid bearer token is required"))))
                .exceptionHandling(ex -> ex
                        .authenticationEntryPoint((req, res, e) -> write(res, mapper, Problems.of(
                                HttpStatus.UNAUTHORIZED, "unauthorized", "Unauthorized",
                                "A valid bearer token is required")))
                        .accessDeniedHandler((req, res, e) -> write(res, mapper, Problems.of(
                                HttpStatus.FORBIDDEN, "forbidden", "Forbidden",
                                "Your roles do not allow this request"))))
                .build();
    }

    /**
     * The role rules, by path and for every HTTP method: a rule that names a method is followed by one for the
     * same path and any method, so {@code HEAD}, {@code OPTIONS} or an unmapped method never escape them. Reads
     * ({@code GET}, {@code HEAD}) of patient-level data are for clinicians, analysts and auditors; every other
     * method there is a command (clinician). The audit endpoints are for auditors. The facility list is read by
     * admins, clinicians (to pick a facility when admitting) and analysts (who group statistics by facility);
     * registering one is for admins. Anything else under {@code /api/v1} needs at least one known role. Actuator
     * endpoints other than health need admin.
     */
    private static void roleRules(
            AuthorizeHttpRequestsConfigurer<HttpSecurity>.AuthorizationManagerRequestMatcherRegistry auth) {
        String admin = Role.ADMIN.claim();
        String clinician = Role.CLINICIAN.claim();
        String analyst = Role.ANALYST.claim();
        String auditor = Role.AUDITOR.claim();
        String[] patientReads = {"/api/v1/*/patients", "/api/v1/*/patients/**", "/api/v1/*/census"};
        auth
                .requestMatchers("/actuator/health", "/actuator/health/**", "/v3/api-docs", "/v3/api-docs/**",
                        "/swagger-ui/**", "/swagger-ui.html", "/error").permitAll()
                .requestMatchers("/actuator", "/actuator/**").hasRole(admin)
                .requestMatchers("/api/v1/tenants", "/api/v1/tenants/**").hasRole(admin)
                .requestMatchers("/api/v1/*/projections", "/api/v1/*/projections/**").hasRole(admin)
                .requestMatchers("/api/v1/regions/**", "/api/v1/*/analytics/**").hasRole(analyst)
                .requestMatchers("/api/v1/*/audit", "/api/v1/*/audit/**").hasRole(auditor)
                .requestMatchers(HttpMethod.GET, "/api/v1/*/facilities").hasAnyRole(admin, clinician, analyst)
                .requestMatchers(HttpMethod.HEAD, "/api/v1/*/facilities").hasAnyRole(admin, clinician, analyst)
                .requestMatchers("/api/v1/*/facilities", "/api/v1/*/facilities/**").hasRole(admin)
                .requestMatchers(HttpMethod.GET, patientReads).hasAnyRole(clinician, analyst, auditor)
                .requestMatchers(HttpMethod.HEAD, patientReads).hasAnyRole(clinician, analyst, auditor)
                .requestMatchers(patientReads).hasRole(clinician)
                .requestMatchers("/api/v1/*/encounters", "/api/v1/*/encounters/**", "/api/v1/*/observations",
                        "/api/v1/*/observations/**").hasRole(clinician)
                .requestMatchers("/api/v1/**").hasAnyRole(admin, clinician, analyst, auditor)
                .anyRequest().authenticated();
    }

    /**
     * The role rules' paths match as Spring MVC's own mappings do ({@code PathPattern}, on the path Security's filter
     * parses once per request) instead of asking MVC's {@code HandlerMappingIntrospector} for each rule: the
     * matchers Spring Security 7 uses by default, opted into on 6.5. A cached summary read allocated 9 KB less
     * (58 to 60 KB before, 49 to 50 after, in docs/performance.md).
     */
    @Bean
    static PathPatternRequestMatcherBuilderFactoryBean pathPatternRequestMatchers() {
        return new PathPatternRequestMatcherBuilderFactoryBean();
    }

    /** No observation per security filter per request: measurable CPU on every command, no operational value. */
    @Bean
    SecurityObservationSettings noSecurityFilterObservations() {
        return SecurityObservationSettings.noObservations();
    }

    @Bean
    JwtDecoder jwtDecoder(SigningKey signingKey, JwtProperties properties, java.time.Clock clock) {
        return new VerifiedTokenCache(verifyingDecoder(signingKey, properties), clock);
    }

    /**
     * HS256 when a secret is configured or made for a local run; RS256 when a JWKS URI is set; both when both
     * are. With only a JWKS URI there is no HS256 key at all: an HS256 token is refused like a forged one.
     */
    JwtDecoder verifyingDecoder(SigningKey signingKey, JwtProperties properties) {
        OAuth2TokenValidator<Jwt> validator = new DelegatingOAuth2TokenValidator<>(
                JwtValidators.createDefault(),
                new JwtClaimValidator<Instant>("exp", Objects::nonNull),
                new JwtClaimValidator<String>("sub", sub -> sub != null && !sub.isBlank()));
        JwtDecoder hs256 = signingKey.isPresent() ? hs256(signingKey, validator) : null;
        if (!properties.hasJwksUri()) {
            return hs256;
        }
        NimbusJwtDecoder rs256 = NimbusJwtDecoder.withJwkSetUri(properties.jwksUri())
                .jwsAlgorithm(SignatureAlgorithm.RS256).build();
        rs256.setJwtValidator(validator);
        if (hs256 == null) {
            return rs256;
        }
        return token -> "RS256".equals(algorithmOf(token)) ? rs256.decode(token) : hs256.decode(token);
    }

    private static JwtDecoder hs256(SigningKey signingKey, OAuth2TokenValidator<Jwt> validator) {
        NimbusJwtDecoder hs256 = NimbusJwtDecoder.withSecretKey(signingKey.key())
                .macAlgorithm(MacAlgorithm.HS256).build();
        hs256.setJwtValidator(validator);
        return hs256;
    }

    @Bean
    SigningKey signingKey(JwtProperties properties) {
        if (properties.hasSecret()) {
            return SigningKey.of(properties.secret());
        }
        return properties.hasJwksUri() ? SigningKey.NONE : SigningKey.random();
    }

    @Bean
    LocalTokens localTokens(SigningKey signingKey, JwtProperties properties,
                            org.clinical.infra.config.ClinicalProperties clinical) {
        return new LocalTokens(signingKey, properties, clinical);
    }

    private static String algorithmOf(String token) {
        try {
            return JWTParser.parse(token).getHeader().getAlgorithm().getName();
        } catch (ParseException e) {
            throw new BadJwtException("malformed token", e);
        }
    }

    private static void write(HttpServletResponse response, ObjectMapper mapper, ProblemDetail problem)
            throws IOException {
        response.setStatus(problem.getStatus());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        mapper.writeValue(response.getOutputStream(), problem);
    }

    /**
     * The HS256 key: from the configured secret, made for this run when neither a secret nor a JWKS URI is set
     * ({@code generated}), or none at all when only a JWKS URI is set.
     */
    public record SigningKey(SecretKey key, boolean generated) {

        static final SigningKey NONE = new SigningKey(null, false);

        boolean isPresent() {
            return key != null;
        }

        static SigningKey of(String secret) {
            byte[] bytes = secret.getBytes(StandardCharsets.UTF_8);
            if (bytes.length < 32) {
                throw new IllegalStateException("CLINICAL_JWT_SECRET must be at least 32 bytes");
            }
            return new SigningKey(new SecretKeySpec(bytes, "HmacSHA256"), false);
        }

        static SigningKey random() {
            byte[] bytes = new byte[32];
            new java.security.SecureRandom().nextBytes(bytes);
            return new SigningKey(new SecretKeySpec(bytes, "HmacSHA256"), true);
        }
    }
}
