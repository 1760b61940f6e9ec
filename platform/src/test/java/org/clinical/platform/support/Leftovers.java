package org.clinical.platform.support;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What earlier test runs left behind when they were killed ({@code kill -9} of Maven or of the test JVM, so
 * that no shutdown hook ran), removed once per JVM before its tests make anything of their own. The rule is
 * {@link TestRun}'s: only what belongs to a run that is over goes, in this order:
 * <ol>
 * <li>the run's processes (redis-servers, platforms: they hold connections to its databases) and its
 *     directory with its logs;</li>
 * <li>its databases, {@code clinical_test_<run>_<random>} (and {@code _eu}) and
 *     {@code clinical_fault_<run>_<random>}, even with connections left;</li>
 * <li>the analyst roles of tenants no database holds any more ({@link AnalystRoles#orphans}).</li>
 * </ol>
 * Databases whose run this host cannot judge, another host's (a shared PostgreSQL) or named the way they were
 * before names carried their run ({@code clinical_test_<random>}, {@code clinical_fault_<seconds>_<random>}),
 * go once nobody is connected to them and their files have not changed for an hour; so do the Redis logs of
 * those older runs ({@code test-redis-<port>.log} in {@code java.io.tmpdir}). Nothing else is touched: not
 * other names, nor a process that is not the very one a test recorded.
 */
public final class Leftovers {

    private static final Pattern OWNED =
            Pattern.compile("clinical_(?:test|fault)_([0-9a-f]{6}_\\d+_\\d+)_[0-9a-f]+(?:_eu)?");
    private static final Pattern UNOWNED =
            Pattern.compile("clinical_test_[0-9a-f]{12}(?:_eu)?|clinical_fault_\\d+_[0-9a-f]{8}");
    private static final Pattern UNOWNED_LOG = Pattern.compile("test-redis-\\d+\\.log");
    private static boolean removed;

    private Leftovers() {
    }

    /** Removes the leftovers on this machine and on the PostgreSQL cluster at {@code hostUrl}, once per JVM. */
    public static synchronized void remove(String hostUrl, String user) {
        if (!removed) {
            removed = true;
            removeNow(hostUrl, user);
        }
    }

    static void removeNow(String hostUrl, String user) {
        List<String> gone = new ArrayList<>(runs());
        gone.addAll(unownedRedisLogs());
        try (Connection cluster = DriverManager.getConnection(hostUrl + "postgres", user, null)) {
            gone.addAll(databases(cluster));
            gone.addAll(analystRoles(cluster, hostUrl, user));
        } catch (SQLException e) {
            System.err.println("could not look for leftover test databases at " + hostUrl + ": " + e.getMessage());
        }
        if (!gone.isEmpty()) {
            System.out.println("removed what test runs that are over left behind: " + String.join(", ", gone));
        }
    }

    private static List<String> runs() {
        List<String> gone = new ArrayList<>();
        if (!Files.isDirectory(TestRun.RUNS)) {
            return gone;
        }
        List<Path> over;
        try (var dirs = Files.list(TestRun.RUNS)) {
            over = dirs.filter(dir -> TestRun.isOver(dir.getFileName().toString())).toList();
        } catch (IOException e) {
            System.err.println("could not list " + TestRun.RUNS + ": " + e);
            return gone;
        }
        for (Path dir : over) {
            try {
                gone.addAll(TestProcesses.killRecorded(dir));
                TestRun.deleteTree(dir);
                gone.add(dir.toString());
            } catch (IOException | RuntimeException e) {
                // another run removing it at the same time, or a record not written to the end: left as it is
                System.err.println("could not remove " + dir + ": " + e);
            }
        }
        return gone;
    }

    private static List<String> unownedRedisLogs() {
        File[] logs = TestRun.RUNS.getParent().toFile().listFiles((dir, name) -> UNOWNED_LOG.matcher(name).matches());
        List<String> gone = new ArrayList<>();
        for (File log : logs == null ? new File[0] : logs) {
            if (log.lastModified() < System.currentTimeMillis() - Duration.ofHours(1).toMillis() && log.delete()) {
                gone.add(log.toString());
            }
        }
        return gone;
    }

    private static List<String> databases(Connection cluster) throws SQLException {
        List<String> gone = new ArrayList<>();
        try (var st = cluster.createStatement();
             var rs = st.executeQuery("select datname, exists (select 1 from pg_stat_activity a"
                     + " where a.datname = d.datname) from pg_database d"
                     + " where datname like 'clinical\\_test\\_%' or datname like 'clinical\\_fault\\_%'")) {
            while (rs.next()) {
                if (isLeftover(cluster, rs.getString(1), rs.getBoolean(2))) {
                    gone.add(rs.getString(1));
                }
            }
        }
        for (String database : gone) {
            execute(cluster, "drop database if exists " + database + " with (force)");
        }
        return gone;
    }

    private static boolean isLeftover(Connection cluster, String database, boolean connected) {
        Matcher owned = OWNED.matcher(database);
        if (owned.matches() && TestRun.isThisHosts(owned.group(1))) {
            return TestRun.isOver(owned.group(1));
        }
        return (owned.matches() || UNOWNED.matcher(database).matches()) && !connected
                && unchangedForAnHour(cluster, database);
    }

    /** When the database's directory last changed (a relation made or dropped, a new connection's cache file). */
    private static boolean unchangedForAnHour(Connection cluster, String database) {
        try (var ps = cluster.prepareStatement("select (pg_stat_file('base/' || oid)).modification"
                + " < now() - interval '1 hour' from pg_database where datname = ?")) {
            ps.setString(1, database);
            try (var rs = ps.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        } catch (SQLException e) {
            return false; // not a superuser, or another tablespace: left alone
        }
    }

    private static List<String> analystRoles(Connection cluster, String hostUrl, String user) throws SQLException {
        List<String> orphans = AnalystRoles.orphans(cluster, hostUrl, user);
        for (String role : orphans) {
            execute(cluster, "drop role if exists " + role);
        }
        return orphans;
    }

    private static void execute(Connection cluster, String sql) {
        try (var st = cluster.createStatement()) {
            st.execute(sql);
        } catch (SQLException e) {
            System.err.println("could not " + sql + ": " + e.getMessage());
        }
    }
}
