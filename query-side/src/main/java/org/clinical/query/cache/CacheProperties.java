package org.clinical.query.cache;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * The Redis fast paths of patient reads.
 *
 * @param summaryTtl     how long a patient summary stays cached (evicted sooner when the patient changes)
 * @param vitalsTtl      how long a patient's latest vital signs stay cached
 * @param commandTimeout how long a Redis command may take before the read goes to PostgreSQL instead
 * @param retryAfter     after a Redis failure, how long reads skip Redis rather than pay the timeout again
 * @param staleCheck     how often each instance reads the tenants whose eviction failed on any instance and
 *                       raises their epochs ({@code PatientCache#sweep}): the longest a stale entry can be
 *                       served by another instance than the one that failed
 */
@ConfigurationProperties("clinical.cache")
public record CacheProperties(@DefaultValue("10m") Duration summaryTtl, @DefaultValue("10m") Duration vitalsTtl,
                              @DefaultValue("250ms") Duration commandTimeout, @DefaultValue("3s") Duration retryAfter,
                              @DefaultValue("1s") Duration staleCheck) {
}
