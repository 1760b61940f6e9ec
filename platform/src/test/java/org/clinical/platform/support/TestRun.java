package org.clinical.platform.support;

import org.clinical.infra.testing.TestRunId;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * This JVM as the owner of what its tests make outside it: databases, redis-servers and platforms in child
 * processes, log files. Each of them carries the run's {@link #ID}, {@code <host>_<pid>_<start>} (a hash of the
 * host's name and process-id namespace, the JVM's process id and its start in epoch seconds), in its name or
 * in the run's {@link #dir() directory}. The one rule for leftovers: a run is over when no process with that
 * id and that start lives on this host any more, and only what belongs to a run that is over is removed
 * ({@link Leftovers}). So runs going on at the same time on one machine (a developer's and CI's, the surefire
 * and failsafe JVMs) never touch each other's, and a reused process id does not keep a dead run alive. Another
 * host's runs on a shared PostgreSQL cannot be judged here: their databases go only once long unused.
 * <p>
 * At a normal exit the run removes its own once the application in this JVM has shut down: the
 * {@link #atExit} actions, then the processes still {@link TestProcesses tracked}, then its directory.
 */
public final class TestRun {

    private static final Pattern ID_FORMAT = Pattern.compile("([0-9a-f]{6})_(\\d+)_(\\d+)");
    /** Two JVMs may read the host's boot time a second apart, and with it a process's start. */
    private static final long START_TOLERANCE_SECONDS = 2;
    private static final String HOST = TestRunId.HOST;
    public static final String ID = TestRunId.ID;
    /** The directories of every run on this machine: {@code <java.io.tmpdir>/clinical-tests/<run id>}. */
    static final Path RUNS = Path.of(System.getProperty("java.io.tmpdir"), "clinical-tests");
    private static final List<Runnable> AT_EXIT = new ArrayList<>();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(TestRun::end, "end-test-run"));
    }

    private TestRun() {
    }

    /** This run's directory (its logs and the records of its processes), made on first use, gone at exit. */
    public static Path dir() {
        try {
            return Files.createDirectories(RUNS.resolve(ID));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static synchronized void atExit(Runnable action) {
        AT_EXIT.add(action);
    }

    /**
     * Whether the run of this id is one of this host's and over; false for anything else, a run of another
     * host, a name that is no run id, or a live process whose start cannot be read, included.
     */
    public static boolean isOver(String id) {
        Matcher m = ID_FORMAT.matcher(id);
        return m.matches() && m.group(1).equals(HOST)
                && !isRunning(Long.parseLong(m.group(2)), Long.parseLong(m.group(3)));
    }

    /** Whether the id is a run id of this host, whose processes this JVM can see. */
    static boolean isThisHosts(String id) {
        Matcher m = ID_FORMAT.matcher(id);
        return m.matches() && m.group(1).equals(HOST);
    }

    /** Whether the process of this id is alive and started then (unknown starts count as a match). */
    static boolean isRunning(long pid, long startEpochSecond) {
        return ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                .filter(p -> startEpochSecond == 0 || p.info().startInstant().isEmpty()
                        || startsAt(p, startEpochSecond))
                .isPresent();
    }

    /** Whether the process's start is known and the recorded one. */
    static boolean startsAt(ProcessHandle process, long startEpochSecond) {
        Optional<Instant> start = process.info().startInstant();
        return start.isPresent()
                && Math.abs(start.get().getEpochSecond() - startEpochSecond) <= START_TOLERANCE_SECONDS;
    }

    /** The process's start in epoch seconds, 0 where the platform cannot tell. */
    static long start(ProcessHandle process) {
        return TestRunId.start(process);
    }

    public static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    private static void end() {
        awaitApplicationShutdown();
        List<Runnable> actions;
        synchronized (TestRun.class) {
            actions = List.copyOf(AT_EXIT);
        }
        for (Runnable action : actions) {
            try {
                action.run();
            } catch (RuntimeException e) {
                System.err.println("test run clean-up failed: " + e);
            }
        }
        TestProcesses.killTracked();
        try {
            deleteTree(RUNS.resolve(ID));
        } catch (IOException e) {
            System.err.println("could not delete " + RUNS.resolve(ID) + ": " + e);
        }
    }

    /**
     * Spring's shutdown hook closes the platform, which uses the database and Redis until it is done. The JVM
     * starts every shutdown hook at once, so this one may look before Spring's has started: it looks again for
     * a moment (a JVM where no platform ran waits that moment at exit).
     */
    private static void awaitApplicationShutdown() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
        List<Thread> spring = springShutdownHooks();
        while (spring.isEmpty() && System.nanoTime() - deadline < 0) {
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            spring = springShutdownHooks();
        }
        for (Thread hook : spring) {
            try {
                hook.join(60_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static List<Thread> springShutdownHooks() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("SpringApplicationShutdownHook") && t != Thread.currentThread())
                .toList();
    }
}
