package org.clinical.infra.eventstore;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.SerializedType;
import org.axonframework.serialization.SimpleSerializedObject;
import org.axonframework.serialization.SimpleSerializedType;
import org.clinical.events.common.EventTypes;
import org.clinical.infra.eventstore.GoldenSamples.Sample;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The stored JSON form of every event type is a contract (auditors read the store, Kafka consumers read the
 * same payloads): each sample of {@link GoldenSamples} must serialize to its golden file under
 * {@code src/test/resources/golden/}, under its contract name and revision, and the golden file must read
 * back into the sample.
 *
 * <p>The golden files are fixtures: this test never writes them. When a change of the stored form is
 * intended (a new event type, or a new revision with its upcaster), write the new file by hand from the
 * JSON printed in the failure message, review it, and commit it; never overwrite an existing golden file
 * for a revision that may already be stored.
 */
class GoldenEventJsonTest {

    /**
     * Reads numbers as exact decimals, trailing zeros kept, so that {@code 5.40} and {@code 5.4} or {@code 128}
     * and {@code 128.0} count as different stored forms.
     */
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .configure(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false);

    private final ClinicalSerializer serializer = ClinicalSerializer.create();

    static List<Sample> samples() {
        return GoldenSamples.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void storedUnderItsContractNameAndRevision(Sample sample) {
        SerializedObject<byte[]> serialized = serializer.serialize(sample.event(), byte[].class);

        assertThat(serialized.getType().getName()).isEqualTo(sample.typeName());
        assertThat(serialized.getType().getRevision()).isEqualTo(sample.revision());
        assertThat(serialized.getContentType()).isEqualTo(byte[].class);
        assertThat(EventTypes.classOf(sample.typeName())).contains(sample.event().getClass());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void serializesToItsGoldenJson(Sample sample) {
        byte[] actual = serializer.serialize(sample.event(), byte[].class).getData();
        byte[] golden = golden(sample, actual);

        JsonNode actualTree = tree(actual);
        JsonNode goldenTree = tree(golden);
        assertThat(actualTree)
                .as("stored JSON of %s differs from golden/%s.json; actual:%n%s", sample.typeName(), sample.file(),
                        pretty(actualTree))
                .isEqualTo(goldenTree);
        assertThat(numbers(actualTree))
                .as("numbers of %s as written (scale and notation are part of the stored form)", sample.file())
                .isEqualTo(numbers(goldenTree));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void goldenJsonReadsBackIntoTheSample(Sample sample) {
        byte[] golden = golden(sample, serializer.serialize(sample.event(), byte[].class).getData());
        SerializedType type = new SimpleSerializedType(sample.typeName(), sample.revision());

        Object event = serializer.deserialize(new SimpleSerializedObject<>(golden, byte[].class, type));

        assertThat(event).isInstanceOf(sample.event().getClass()).isEqualTo(sample.event());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void goldenFileIsPrettyPrintedUtf8(Sample sample) {
        byte[] golden = golden(sample, serializer.serialize(sample.event(), byte[].class).getData());
        String text = new String(golden, StandardCharsets.UTF_8);

        assertThat(text).startsWith("{\n").endsWith("}\n").contains("\n  \"");
    }

    @Test
    void everyEventTypeHasAGoldenSample() {
        Set<String> sampled = samples().stream().map(Sample::typeName).collect(Collectors.toCollection(TreeSet::new));

        assertThat(sampled)
                .as("EventTypes.all() and GoldenSamples must name the same event types: add a sample and a golden"
                        + " file for every new event type (and document it in docs/events.md)")
                .isEqualTo(new TreeSet<>(EventTypes.all().keySet()));
        assertThat(EventTypes.all()).hasSize(13);
    }

    @Test
    void everyGoldenFileBelongsToASample() throws IOException {
        Set<String> files;
        try (Stream<Path> listing = Files.list(GoldenSamples.goldenDirectory())) {
            files = listing.map(path -> path.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new));
        }

        assertThat(files).isEqualTo(samples().stream().map(sample -> sample.file() + ".json")
                .collect(Collectors.toCollection(TreeSet::new)));
    }

    /** docs/events.md is the reference for auditors and Kafka consumers: it must keep up with the contract. */
    @Test
    void eventsReferenceDocumentsEveryTypeAtItsRevisionWithItsGoldenExample() throws IOException {
        Path reference = Path.of(System.getProperty("basedir", System.getProperty("user.dir")))
                .resolve("../docs/events.md").normalize();
        String text = Files.readString(reference, StandardCharsets.UTF_8);

        for (Sample sample : samples()) {
            assertThat(text).as("docs/events.md documents %s", sample.typeName())
                    .contains("### " + sample.typeName() + " (revision " + sample.revision() + ")");
            String example = new String(golden(sample, serializer.serialize(sample.event(), byte[].class).getData()),
                    StandardCharsets.UTF_8).strip();
            assertThat(text).as("docs/events.md shows golden/%s.json as an example", sample.file())
                    .contains(example);
        }
    }

    @Test
    void sampleFilesAreUnique() {
        List<String> files = samples().stream().map(Sample::file).toList();

        assertThat(files).doesNotHaveDuplicates();
    }

    private static byte[] golden(Sample sample, byte[] actualForTheMessage) {
        return GoldenSamples.golden(sample.file()).orElseGet(() -> fail(
                "missing golden file src/test/resources/golden/%s.json for %s; the current stored form is:%n%s",
                sample.file(), sample.typeName(), pretty(tree(actualForTheMessage))));
    }

    private static JsonNode tree(byte[] json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String pretty(JsonNode tree) {
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(tree);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every number of a tree by its path, as written: tree equality alone ignores {@code 5.4} vs {@code 5.40}. */
    private static Map<String, String> numbers(JsonNode tree) {
        Map<String, String> numbers = new TreeMap<>();
        collectNumbers("$", tree, numbers);
        return numbers;
    }

    private static void collectNumbers(String path, JsonNode node, Map<String, String> numbers) {
        if (node.isNumber()) {
            numbers.put(path, node.numberType() + " " + node.asText());
        } else if (node.isObject()) {
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                collectNumbers(path + "." + field.getKey(), field.getValue(), numbers);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                collectNumbers(path + "[" + i + "]", node.get(i), numbers);
            }
        }
    }
}
