package org.clinical.infra.security;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param secret         HS256 secret ({@code CLINICAL_JWT_SECRET}, at least 32 bytes); unset for local runs, and
 *                       unset with a JWKS URI to accept RS256 tokens only
 * @param jwksUri        where RS256 keys are published ({@code CLINICAL_JWT_JWKS_URI}), optional
 * @param localTokenFile where a local run writes its ready tokens when no secret is set
 */
@ConfigurationProperties(prefix = "clinical.jwt")
public record JwtProperties(String secret, String jwksUri,
                            @DefaultValue("var/local-tokens.env") String localTokenFile) {

    public boolean hasSecret() {
        return secret != null && !secret.isBlank();
    }

    public boolean hasJwksUri() {
        return jwksUri != null && !jwksUri.isBlank();
    }
}
