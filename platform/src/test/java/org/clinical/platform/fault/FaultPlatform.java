package org.clinical.platform.fault;

import org.clinical.platform.support.Api;
import org.clinical.platform.support.TestProcesses;
import org.clinical.platform.support.TestRun;
import org.clinical.platform.support.Tokens;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The packaged platform ({@code target/clinical-platform.jar}, see {@link PlatformLaunch}) as a child process
 * of the test, on the same JDK, with its own database, Redis and port and an in-process Kafka broker; its
 * output goes to a file under {@code target/fault-tests} ({@link FaultLogs}). {@link #kill} is {@code kill -9};
 * {@link #start} starts it again on the same port. Each start has a temporary directory of its own (the Kafka
 * broker's data), deleted when it stops; the process is {@link TestProcesses tracked}, so a later run stops it
 * if this JVM is killed.
 */
final class FaultPlatform implements AutoCloseable {

    final int port = freePort();
    final Api api = new Api(port);
    private final FaultDatabase database;
    private final String redisUrl;
    private final File dir;
    private final File log;
    private Process process;
    private File tmp;
    private int starts;

    FaultPlatform(FaultDatabase database, String redisUrl, File dir) {
        FaultLogs.claim(dir);
        this.database = database;
        this.redisUrl = redisUrl;
        this.dir = dir;
        this.log = new File(dir, "platform-" + port + ".log");
    }

    /** Starts the jar and answers once it serves authenticated requests; answers how long that took. */
    Duration start() {
        long started = System.nanoTime();
        tmp = new File(dir, "tmp-" + port + "-" + starts++);
        tmp.mkdirs();
        ProcessBuilder builder = new ProcessBuilder(PlatformLaunch.command(this, tmp))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log));
        Map<String, String> env = builder.environment();
        env.put("SERVER_PORT", String.valueOf(port));
        env.put("CLINICAL_DB_URL", database.url());
        env.put("CLINICAL_DB_USER", FaultDatabase.USER);
        env.put("CLINICAL_REDIS_URL", redisUrl);
        env.put("CLINICAL_JWT_SECRET", Tokens.SECRET);
        env.put("CLINICAL_KAFKA_EMBEDDED_PORT", "0");
        env.put("AXONIQ_UPDATE_CHECKER_DISABLED", "true");
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the platform", e);
        }
        TestProcesses.track(process);
        awaitReady(Duration.ofSeconds(90));
        return Duration.ofNanos(System.nanoTime() - started);
    }

    /** {@code kill -9}: no shutdown hook, no graceful close of anything. */
    void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        stopped();
    }

    boolean alive() {
        return process != null && process.isAlive();
    }

    /** The last lines of the platform's output, for a failure message. */
    String logTail(int lines) {
        try {
            List<String> all = Files.readAllLines(log.toPath(), StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    Path logFile() {
        return log.toPath();
    }

    @Override
    public void close() {
        if (process != null && process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(60, TimeUnit.SECONDS)) {
                    kill();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                kill();
            }
        }
        stopped();
    }

    private void stopped() {
        PlatformLaunch.stopped(this);
        if (process == null || process.isAlive()) {
            return; // still tracked: killed at exit, or by a later run
        }
        TestProcesses.untrack(process);
        if (tmp != null) {
            try {
                TestRun.deleteTree(tmp.toPath());
            } catch (IOException e) {
                System.err.println("could not delete " + tmp + ": " + e);
            }
        }
    }

    private void awaitReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the platform exited with " + process.exitValue() + ":\n" + logTail(60));
            }
            try {
                int status = api.get("/api/v1/tenants/readiness-probe").token(FaultTest.ADMIN).send().status();
                if (status == 200 || status == 404) {
                    return;
                }
            } catch (IllegalStateException notYet) {
                // connection refused until Tomcat listens
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the platform did not answer within " + timeout + ":\n" + logTail(60));
            }
            LockSupport.parkNanos(Duration.ofMillis(200).toNanos());
        }
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
