package org.clinical.platform.edges;

import org.clinical.infra.config.ClinicalProperties;
import org.clinical.infra.region.Regions;
import org.clinical.platform.support.PlatformTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * A failing statement's exception, through every region's pool, names no parameter value: PostgreSQL's DETAIL
 * ("Key (mrn)=(...)", "Failing row contains (...)") and a failed batch entry's statement stay out of it.
 */
class ServerErrorDetailTest extends PlatformTest {

    private static final String PHI = "Lovelace-1815-12-10";

    @Autowired
    private Regions regions;

    @Test
    void a_failing_batch_or_statement_names_no_parameter_value_in_any_region() {
        for (String region : List.of(ClinicalProperties.DEFAULT_REGION, "eu")) {
            JdbcTemplate jdbc = regions.region(region).jdbc();
            jdbc.execute("create schema if not exists edges_phi");
            jdbc.execute("create table if not exists edges_phi.person (name text primary key,"
                    + " born text not null check (born <> 'never'))");
            jdbc.update("insert into edges_phi.person values (?, '1815') on conflict do nothing", PHI);

            Throwable duplicateInBatch = catchThrowable(() -> jdbc.batchUpdate(
                    "insert into edges_phi.person (name, born) values (?, ?)",
                    List.of(new Object[]{PHI + "-new", "1815"}, new Object[]{PHI, "1815"})));
            Throwable failingRow = catchThrowable(() -> jdbc.update(
                    "insert into edges_phi.person (name, born) values (?, ?)", PHI + "-checked", "never"));

            assertThat(duplicateInBatch).as(region).isNotNull();
            assertThat(failingRow).as(region).isNotNull();
            assertThat(everything(duplicateInBatch)).as(region).contains("duplicate key").doesNotContain(PHI);
            assertThat(everything(failingRow)).as(region).contains("check constraint").doesNotContain(PHI)
                    .doesNotContain("never");
        }
    }

    /** What a log line with the exception would show: messages and stack trace of the whole cause chain. */
    private static String everything(Throwable error) {
        StringWriter out = new StringWriter();
        error.printStackTrace(new PrintWriter(out));
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof java.sql.SQLException sql && sql.getNextException() != null) {
                sql.getNextException().printStackTrace(new PrintWriter(out));
            }
        }
        return out.toString();
    }
}
