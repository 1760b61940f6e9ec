package org.clinical.platform.fault;

import org.clinical.platform.support.TestProcesses;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A redis-server of one fault test's own on a free port, keeping nothing on disk. {@link #stop} and
 * {@link #start} are a real outage (it comes back empty); {@link #pause} and {@link #resume} (SIGSTOP, SIGCONT)
 * make it unreachable while it keeps its entries, as a network partition would. Its log is with the test's
 * ({@link FaultLogs}); the process is {@link TestProcesses tracked}, so a later run stops it if this JVM is killed.
 */
final class FaultRedis implements AutoCloseable {

    final int port = FaultPlatform.freePort();
    private final File log;
    private Process process;

    FaultRedis(File logDir) {
        FaultLogs.claim(logDir);
        this.log = new File(logDir, "redis-" + port + ".log");
        start();
    }

    String url() {
        return "redis://127.0.0.1:" + port;
    }

    void start() {
        try {
            process = new ProcessBuilder("redis-server", "--port", String.valueOf(port), "--bind", "127.0.0.1",
                    "--save", "", "--appendonly", "no")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log)).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start redis-server", e);
        }
        TestProcesses.track(process);
        Instant deadline = Instant.now().plusSeconds(10);
        while (!accepts()) {
            if (Instant.now().isAfter(deadline) || !process.isAlive()) {
                throw new IllegalStateException("redis-server did not start on port " + port);
            }
            LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
        }
    }

    void stop() {
        if (process == null) {
            return;
        }
        resume();
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        TestProcesses.untrack(process);
        process = null;
    }

    void pause() {
        signal("STOP");
    }

    void resume() {
        signal("CONT");
    }

    /** A command through redis-cli; answers its raw output, trimmed. */
    String command(String... command) {
        List<String> args = new ArrayList<>(List.of("redis-cli", "-p", String.valueOf(port), "--raw"));
        args.addAll(List.of(command));
        return run(args);
    }

    @Override
    public void close() {
        stop();
    }

    private void signal(String signal) {
        if (process != null) {
            run(List.of("kill", "-" + signal, String.valueOf(process.pid())));
        }
    }

    private static String run(List<String> args) {
        try {
            Process p = new ProcessBuilder(args).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            p.waitFor();
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private boolean accepts() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
