package org.clinical.platform.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The processes a test run starts (redis-servers, platforms): each is recorded in the run's directory as
 * {@code process-<pid>} holding its start and executable, so that when this JVM is killed, a later run kills
 * them, and only them ({@link #killRecorded}); at a normal exit this run kills what it still tracks itself.
 */
public final class TestProcesses {

    private static final String RECORD = "process-";
    private static final Map<Long, Process> TRACKED = new ConcurrentHashMap<>();

    private TestProcesses() {
    }

    public static void track(Process process) {
        TRACKED.put(process.pid(), process);
        try {
            record(TestRun.dir(), process.toHandle());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void record(Path runDir, ProcessHandle process) throws IOException {
        Files.writeString(runDir.resolve(RECORD + process.pid()),
                TestRun.start(process) + " " + process.info().command().orElse(""));
    }

    /** The process has ended, or is being ended by its owner: nobody needs to kill it later. */
    public static void untrack(Process process) {
        TRACKED.remove(process.pid());
        try {
            Files.deleteIfExists(TestRun.RUNS.resolve(TestRun.ID).resolve(RECORD + process.pid()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void killTracked() {
        TRACKED.values().forEach(process -> kill(process.toHandle()));
    }

    /**
     * Kills the processes recorded in the directory of a run that is over, each only while it is still the
     * very process recorded, with the same id, start and executable (a reused id is someone else's process);
     * answers what was killed. A record the run was killed while writing names no process anyone can tell.
     */
    static List<String> killRecorded(Path runDir) throws IOException {
        List<String> killed = new ArrayList<>();
        try (var files = Files.list(runDir)) {
            for (Path record : files.filter(f -> f.getFileName().toString().matches(RECORD + "\\d+")).toList()) {
                long pid = Long.parseLong(record.getFileName().toString().substring(RECORD.length()));
                String[] startAndCommand = Files.readString(record).split(" ", 2);
                if (startAndCommand.length < 2 || !startAndCommand[0].matches("\\d+") || startAndCommand[1].isEmpty()) {
                    continue;
                }
                long start = Long.parseLong(startAndCommand[0]);
                String command = startAndCommand[1];
                ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                        .filter(p -> TestRun.startsAt(p, start))
                        .filter(p -> p.info().command().orElse("").equals(command))
                        .ifPresent(p -> {
                            kill(p);
                            killed.add(command + " (pid " + pid + ")");
                        });
            }
        }
        return killed;
    }

    private static void kill(ProcessHandle process) {
        process.destroyForcibly();
        try {
            process.onExit().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            System.err.println("process " + process.pid() + " did not end within 10 s: " + e);
        }
    }
}
