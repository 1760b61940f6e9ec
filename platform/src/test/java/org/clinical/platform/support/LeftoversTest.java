package org.clinical.platform.support;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a killed run left is removed, and nothing of a run going on: the killed run is played by a process that
 * has ended (its id and start make the run's id), the run going on by this JVM, another host's run (which this
 * host cannot judge, and which was used within the hour) by a name with another host's hash.
 */
class LeftoversTest {

    private static final String HOST_URL = TestDatabase.HOST_URL;
    private static final String USER = TestDatabase.USER;

    private final List<String> databases = new ArrayList<>();
    private final List<String> roles = new ArrayList<>();
    private final List<Process> processes = new ArrayList<>();
    private Path killedDir;

    @AfterEach
    void removeWhatIsLeft() throws Exception {
        processes.forEach(Process::destroyForcibly);
        if (killedDir != null) {
            TestRun.deleteTree(killedDir);
        }
        for (String database : databases) {
            sql("postgres", "drop database if exists " + database + " with (force)");
        }
        for (String role : roles) {
            sql("postgres", "drop role if exists " + role);
        }
    }

    @Test
    void a_killed_runs_databases_roles_processes_and_logs_go_and_a_live_runs_stay() throws Exception {
        String killed = endedRunId();
        killedDir = Files.createDirectories(TestRun.RUNS.resolve(killed));
        Process redis = start("redis-server", "--port", String.valueOf(freePort()), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no");
        TestProcesses.record(killedDir, redis.toHandle());
        Files.writeString(killedDir.resolve("redis.log"), "a log line");
        Process reusedId = start("sleep", "120");
        Files.writeString(killedDir.resolve("process-" + reusedId.pid()),
                (TestRun.start(reusedId.toHandle()) - 3600) + " " + reusedId.info().command().orElseThrow());
        String killedDatabase = databaseWithTenant("clinical_test_" + killed + "_" + random(6) + "_eu");
        String killedRole = roles.getLast();

        String live = databaseWithTenant("clinical_test_" + TestRun.ID + "_" + random(6));
        String liveRole = roles.getLast();
        String otherHost = databaseWithTenant("clinical_fault_" + otherHost(killed) + "_" + random(8));
        String otherHostRole = roles.getLast();
        String notATestRun = databaseWithTenant("clinical_test_kept_" + random(6));

        Leftovers.removeNow(HOST_URL, USER);

        assertThat(redis.waitFor(10, TimeUnit.SECONDS)).as("the killed run's redis-server ended").isTrue();
        assertThat(reusedId.isAlive()).as("a process whose id was reused").isTrue();
        assertThat(killedDir).doesNotExist();
        assertThat(existing("select datname from pg_database", killedDatabase, live, otherHost, notATestRun))
                .containsExactlyInAnyOrder(live, otherHost, notATestRun);
        assertThat(existing("select rolname from pg_roles", killedRole, liveRole, otherHostRole))
                .containsExactlyInAnyOrder(liveRole, otherHostRole);
    }

    /** The id a run would have had in a process that has ended: this host's, a process id and start no one has. */
    private String endedRunId() throws Exception {
        Process ended = start("cat");
        String id = TestRun.ID.substring(0, 6) + "_" + ended.pid() + "_" + TestRun.start(ended.toHandle());
        assertThat(TestRun.isOver(id)).as("while it runs").isFalse();
        ended.getOutputStream().close();
        assertThat(ended.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(TestRun.isOver(id)).as("once it has ended").isTrue();
        return id;
    }

    private static String otherHost(String run) {
        String host = run.substring(0, 6).equals("000000") ? "ffffff" : "000000";
        return host + run.substring(6);
    }

    /** Creates a database holding one tenant's analytics schema, and the tenant's analyst role; answers its name. */
    private String databaseWithTenant(String database) throws SQLException {
        String tenant = "h" + random(10);
        sql("postgres", "create database " + database);
        databases.add(database);
        sql("postgres", "create role clinical_analyst_" + tenant + " nologin");
        roles.add("clinical_analyst_" + tenant);
        sql(database, "create schema a_" + tenant);
        return database;
    }

    private Process start(String... command) throws IOException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        processes.add(process);
        return process;
    }

    private static List<String> existing(String names, String... candidates) throws SQLException {
        List<String> found = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(HOST_URL + "postgres", USER, null);
             var ps = c.prepareStatement("select name from (" + names + ") n (name) where name = any (?)")) {
            ps.setArray(1, c.createArrayOf("text", candidates));
            try (var rs = ps.executeQuery()) {
                while (rs.next()) {
                    found.add(rs.getString(1));
                }
            }
        }
        return found;
    }

    private static void sql(String database, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(HOST_URL + database, USER, null); var st = c.createStatement()) {
            st.execute(sql);
        }
    }

    private static String random(int length) {
        return UUID.randomUUID().toString().replace("-", "").substring(0, length);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
