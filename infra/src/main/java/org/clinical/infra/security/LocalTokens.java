package org.clinical.infra.security;

import com.nimbusds.jose.jwk.source.ImmutableSecret;
import org.clinical.infra.config.ClinicalProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * For local runs without {@code CLINICAL_JWT_SECRET}: once the platform is up, prints a ready token per role
 * (every tenant, every region, valid 12 hours) and writes them as shell variables to a file, so a new user
 * can call the API in the first minute. Prints nothing when a secret is configured, nor when only a JWKS URI is
 * (then no HS256 key exists at all and only RS256 tokens are accepted).
 */
public class LocalTokens {

    private static final Logger log = LoggerFactory.getLogger(LocalTokens.class);

    private final SecurityConfiguration.SigningKey signingKey;
    private final JwtProperties properties;
    private final ClinicalProperties clinical;

    LocalTokens(SecurityConfiguration.SigningKey signingKey, JwtProperties properties, ClinicalProperties clinical) {
        this.signingKey = signingKey;
        this.properties = properties;
        this.clinical = clinical;
    }

    @EventListener(ApplicationReadyEvent.class)
    void printTokens() {
        if (!signingKey.generated()) {
            return;
        }
        List<String> regions = new ArrayList<>(List.of(ClinicalProperties.DEFAULT_REGION));
        regions.addAll(clinical.regions().keySet());
        StringBuilder banner = new StringBuilder("\nCLINICAL_JWT_SECRET is unset: this run made its own secret."
                + " Ready tokens (valid 12 h, every tenant and region):\n");
        StringBuilder env = new StringBuilder();
        for (Role role : Role.values()) {
            String token = issue("local-" + role.claim(), List.of(role.claim()), List.of(Caller.ALL), regions);
            banner.append(String.format("  %-9s %s%n", role.claim(), token));
            env.append("export ").append(role.name()).append("_TOKEN=").append(token).append('\n');
        }
        Path file = Path.of(properties.localTokenFile());
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.writeString(file, env);
            banner.append("Also written to ").append(file.toAbsolutePath())
                    .append(" (source it: ").append(Arrays.toString(Role.values()).toLowerCase())
                    .append(" as $<ROLE>_TOKEN)\n");
        } catch (IOException e) {
            log.warn("Could not write {}: {}", file, e.getMessage());
        }
        log.info(banner.toString());
    }

    public String issue(String subject, List<String> roles, List<String> tenants, List<String> regions) {
        Instant now = Instant.now();
        JwtClaimsSet claims = JwtClaimsSet.builder()
                .subject(subject)
                .issuedAt(now)
                .expiresAt(now.plus(Duration.ofHours(12)))
                .claim("roles", roles)
                .claim("tenants", tenants)
                .claim("regions", regions)
                .build();
        return new NimbusJwtEncoder(new ImmutableSecret<>(signingKey.key()))
                .encode(JwtEncoderParameters.from(JwsHeader.with(MacAlgorithm.HS256).build(), claims))
                .getTokenValue();
    }
}
