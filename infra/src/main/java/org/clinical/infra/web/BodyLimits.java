package org.clinical.infra.web;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * The request body limits ({@code clinical.http.*}): {@code max-body-size} for every request (1 MiB),
 * {@code max-batch-body-size} for {@code POST .../observations/batch} (8 MiB: 1,000 realistic observations
 * weigh about 0.4 MiB, a batch of the largest allowed observations more).
 */
@ConfigurationProperties("clinical.http")
public record BodyLimits(@DefaultValue("1MB") DataSize maxBodySize, @DefaultValue("8MB") DataSize maxBatchBodySize) {

    public long limitFor(String path) {
        return path != null && path.endsWith("/observations/batch")
                ? maxBatchBodySize.toBytes() : maxBodySize.toBytes();
    }
}
