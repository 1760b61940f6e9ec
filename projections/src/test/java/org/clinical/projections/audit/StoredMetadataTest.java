package org.clinical.projections.audit;

import com.fasterxml.jackson.databind.ObjectMapper;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.clinical.infra.eventstore.StoredEvent;
import org.clinical.projections.support.ProjectionHarness;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The metadata fields of an event's history item and Kafka value are read by {@link StoredEvent#metadata} from the
 * stored bytes, where PostgreSQL's {@code convert_from(meta_data, 'UTF8')::jsonb ->> name} read them before: the
 * two agree on every string (escapes, any Unicode text but U+0000, which jsonb refuses), on JSON null and on a missing
 * field, whatever else the metadata holds.
 */
class StoredMetadataTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> FIELDS = List.of("actor", "correlationId", "causationId");
    private static ProjectionHarness database;

    @BeforeContainer
    static void start() {
        database = ProjectionHarness.start(AuditProjection.READ_MODEL, AuditProjection::new);
    }

    @AfterContainer
    static void stop() {
        database.close();
    }

    @Property(tries = 300)
    void the_fields_are_those_postgresql_extracts(@ForAll("metadata") Map<String, Object> metadata) throws Exception {
        byte[] stored = JSON.writeValueAsBytes(metadata);

        List<String> postgres = database.region().jdbc().queryForObject("""
                select m ->> 'actor', m ->> 'correlationId', m ->> 'causationId'
                from (select convert_from(?::bytea, 'UTF8')::jsonb as m) x""",
                (rs, n) -> Arrays.asList(rs.getString(1), rs.getString(2), rs.getString(3)), (Object) stored);

        assertThat(Arrays.asList(StoredEvent.metadata(stored))).isEqualTo(postgres);
    }

    @Provide
    Arbitrary<Map<String, Object>> metadata() {
        // any character but U+0000 and the surrogates (a lone surrogate is no Unicode text; a pair is added whole)
        Arbitrary<String> text = Arbitraries.strings().withCharRange('\u0001', '\uD7FF')
                .withCharRange('\uE000', '\uFFFF').ofMaxLength(40)
                .edgeCases(c -> c.add("\"\\/\b\f\n\r\t", "caf\u00e9 \uD83E\uDE7A \u2028"));
        Arbitrary<Optional<Object>> field = Arbitraries.oneOf(
                text.map(Optional::<Object>of),
                Arbitraries.just(Optional.<Object>of(JSON.nullNode())),
                Arbitraries.just(Optional.empty()));
        Arbitrary<Object> other = Arbitraries.oneOf(text.map(t -> (Object) t),
                Arbitraries.integers().map(i -> (Object) i),
                text.list().ofMaxSize(3).map(l -> (Object) Map.of("nested", l, "deeper", Map.of("x", l))));
        return Combinators.combine(field, field, field, other, Arbitraries.integers().between(0, 3))
                .as((actor, correlation, causation, tenant, at) -> {
                    Map<String, Object> metadata = new LinkedHashMap<>();
                    List<Optional<Object>> values = List.of(actor, correlation, causation);
                    for (int i = 0; i < FIELDS.size(); i++) {
                        if (i == at) {
                            metadata.put("tenant", tenant);
                        }
                        int index = i;
                        values.get(i).ifPresent(v -> metadata.put(FIELDS.get(index), v));
                    }
                    metadata.putIfAbsent("tenant", tenant);
                    return metadata;
                });
    }

    @Test
    void a_value_that_is_not_a_string_is_its_json_text_and_what_is_not_an_object_is_refused() {
        assertThat(StoredEvent.metadata("{\"actor\":{\"id\":7},\"causationId\":12}".getBytes()))
                .containsExactly("{\"id\":7}", null, "12");
        assertThat(StoredEvent.metadata(null)).containsExactly(null, null, null);
        assertThatThrownBy(() -> StoredEvent.metadata("[1]".getBytes())).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> StoredEvent.metadata("{\"actor\":".getBytes())).isInstanceOf(IllegalStateException.class);
    }
}
