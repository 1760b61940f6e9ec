package org.clinical.infra.web;

import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Jackson's own limits on what the HTTP API reads: nesting at most {@value #NESTING} deep, numbers at most
 * {@value #NUMBER_LENGTH} characters, strings at most {@value #STRING_LENGTH} characters, field names at most
 * {@value #NAME_LENGTH}, and a key twice in one object refused. Exceeding one answers 400
 * ({@link UnreadableJson}); the field limits of each request are tighter still (Bean Validation).
 */
public final class JsonLimits {

    public static final int NESTING = 32;
    public static final int NUMBER_LENGTH = 64;
    public static final int STRING_LENGTH = 100_000;
    public static final int NAME_LENGTH = 256;

    private JsonLimits() {
    }

    public static ObjectMapper apply(ObjectMapper mapper) {
        mapper.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(NESTING)
                .maxNumberLength(NUMBER_LENGTH)
                .maxStringLength(STRING_LENGTH)
                .maxNameLength(NAME_LENGTH)
                .build());
        mapper.getFactory().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION.mappedFeature());
        return mapper;
    }
}
