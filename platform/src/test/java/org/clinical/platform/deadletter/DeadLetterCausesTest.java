package org.clinical.platform.deadletter;

import com.fasterxml.jackson.core.JsonParseException;
import org.axonframework.messaging.deadletter.ThrowableCause;
import org.axonframework.serialization.SerializationException;
import org.clinical.infra.processing.SafeCauses;
import org.clinical.infra.processing.TransientFaults;
import org.junit.jupiter.api.Test;
import org.springframework.dao.CannotAcquireLockException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.jdbc.UncategorizedSQLException;

import java.sql.SQLException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which failures are transient (retried by the processor, never dead-lettered), and what a dead letter keeps
 * of a failure: the class and the SQLState or a fixed text, never the exception's own message.
 */
class DeadLetterCausesTest {

    @Test
    void connection_deadlock_serialization_resource_shutdown_and_lock_timeout_states_are_transient() {
        for (String state : new String[]{"08006", "08003", "40001", "40P01", "53300", "57P01", "57014", "55P03"}) {
            assertThat(TransientFaults.isTransient(wrapped(state))).as(state).isTrue();
        }
        assertThat(TransientFaults.isTransient(new CannotAcquireLockException("lock"))).isTrue();
        assertThat(TransientFaults.isTransient(new QueryTimeoutException("slow"))).isTrue();
    }

    @Test
    void data_errors_and_unreadable_payloads_are_not_transient() {
        for (String state : new String[]{"22021", "22008", "23505", "42601", "55000", "P0001"}) {
            assertThat(TransientFaults.isTransient(wrapped(state))).as(state).isFalse();
        }
        assertThat(TransientFaults.isTransient(new SerializationException("broken"))).isFalse();
        assertThat(TransientFaults.isTransient(new IllegalStateException("bug"))).isFalse();
    }

    @Test
    void a_cause_keeps_the_class_and_sqlstate_but_no_message_text() {
        SQLException sql = new SQLException("Key (family)=(Lovelace) violates something", "23505");
        ThrowableCause cause = SafeCauses.of(new DataIntegrityViolationException("insert ... Lovelace", sql));
        assertThat(cause.type()).isEqualTo(SQLException.class.getName());
        assertThat(cause.message()).contains("SQLState 23505").doesNotContain("Lovelace");

        ThrowableCause unreadable = SafeCauses.of(new SerializationException("cannot read",
                new JsonParseException(null, "Unexpected character near 'Ada Lovelace'")));
        assertThat(unreadable.type()).isEqualTo(JsonParseException.class.getName());
        assertThat(unreadable.message()).contains("could not be read").doesNotContain("Lovelace");

        ThrowableCause bug = SafeCauses.of(new IllegalArgumentException("cannot write Ada Lovelace"));
        assertThat(bug.message()).doesNotContain("Lovelace").contains("IllegalArgumentException");
    }

    private static RuntimeException wrapped(String state) {
        return new UncategorizedSQLException("task", "insert into patient ...", new SQLException("reason", state));
    }
}
