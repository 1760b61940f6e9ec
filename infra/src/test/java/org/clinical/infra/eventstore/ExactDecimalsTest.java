package org.clinical.infra.eventstore;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.clinical.events.observation.ObservationValue;
import org.clinical.events.observation.ObservationValue.Quantity;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.math.BigDecimal;

import static org.assertj.core.api.Assertions.assertThat;

/** A measured value is stored and read back digit for digit: never through a double, scale kept, no exponent. */
class ExactDecimalsTest {

    private final ObjectMapper mapper = ClinicalSerializer.objectMapper();

    @ParameterizedTest
    @ValueSource(strings = {"7.20", "0.12345678901234567890123", "12000000.0", "0.0005", "120", "-3.50"})
    void quantities_round_trip_exactly(String literal) throws Exception {
        String json = "{\"quantity\": {\"value\": " + literal + ", \"unit\": \"mmol/L\"}}";

        ObservationValue read = mapper.readValue(json, ObservationValue.class);

        assertThat(((Quantity) read).value()).isEqualTo(new BigDecimal(literal));
        assertThat(mapper.writeValueAsString(read)).contains("\"value\":" + literal + ",");
    }
}
