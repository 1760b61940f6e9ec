package org.clinical.query.cache;

import org.springframework.data.redis.core.script.DefaultRedisScript;
import org.springframework.data.redis.core.script.RedisScript;

import java.time.Duration;
import java.util.List;

/**
 * The Lua scripts of {@link PatientCache}. All keys of a tenant share the hash tag {@code {tenant}}, so a
 * script touches one slot; keys derived from the epoch are built inside the script, in that same slot.
 */
final class CacheScripts {

    /** A generation outlives by far any read racing an eviction. */
    private static final Duration GENERATION_TTL = Duration.ofDays(1);

    /** KEYS: epoch, generation. ARGV: key prefix up to "e", key suffix after the epoch. Answers {epoch, gen, value}. */
    static final RedisScript<List> READ = new DefaultRedisScript<>("""
            local epoch = redis.call('GET', KEYS[1]) or '0'
            local generation = redis.call('GET', KEYS[2]) or '0'
            return {epoch, generation, redis.call('GET', ARGV[1] .. epoch .. ARGV[2])}
            """, List.class);

    /** KEYS: epoch, generation, entry. ARGV: epoch and generation seen before the load, value, TTL in ms. */
    static final RedisScript<Long> FILL = new DefaultRedisScript<>("""
            if (redis.call('GET', KEYS[1]) or '0') == ARGV[1] and (redis.call('GET', KEYS[2]) or '0') == ARGV[2] then
              redis.call('SET', KEYS[3], ARGV[3], 'PX', ARGV[4])
              return 1
            end
            return 0
            """, Long.class);

    /** KEYS: epoch. ARGV: key prefix "clinical:{t}:", then patient ids: raise each generation, drop its entries. */
    static final RedisScript<Long> EVICT = new DefaultRedisScript<>("""
            local epoch = redis.call('GET', KEYS[1]) or '0'
            for i = 2, #ARGV do
              local patient = 'patient:' .. ARGV[i]
              local generation = ARGV[1] .. patient .. ':gen'
              redis.call('INCR', generation)
              redis.call('PEXPIRE', generation, %d)
              redis.call('DEL', ARGV[1] .. 'e' .. epoch .. ':' .. patient .. ':summary',
                                ARGV[1] .. 'e' .. epoch .. ':' .. patient .. ':vitals')
            end
            return #ARGV - 1
            """.formatted(GENERATION_TTL.toMillis()), Long.class);

    private CacheScripts() {
    }
}
