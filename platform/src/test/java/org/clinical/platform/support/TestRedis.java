package org.clinical.platform.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A redis-server of the test run's own, on a free port, started with the first test and stopped when the JVM
 * ends: tests may stop and restart it ({@link #stop}, {@link #start}) without disturbing anyone else's Redis.
 * It keeps nothing on disk, so a restart comes back empty. Its log is in the run's directory, and the process
 * is {@link TestProcesses tracked}: if the JVM is killed, the next run stops it and deletes the log.
 */
public final class TestRedis {

    public static final int PORT = freePort();
    private static Process process;

    static {
        start();
    }

    private TestRedis() {
    }

    public static String url() {
        return "redis://127.0.0.1:" + PORT;
    }

    /** Starts the server on {@link #PORT} and answers once it accepts connections (at most 10 s). */
    public static synchronized void start() {
        if (process != null && process.isAlive()) {
            return;
        }
        try {
            process = new ProcessBuilder("redis-server", "--port", String.valueOf(PORT), "--bind", "127.0.0.1",
                    "--save", "", "--appendonly", "no")
                    .redirectErrorStream(true).redirectOutput(TestRun.dir().resolve("redis-" + PORT + ".log").toFile())
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start redis-server", e);
        }
        TestProcesses.track(process);
        Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
        while (!accepts()) {
            if (Instant.now().isAfter(deadline) || !process.isAlive()) {
                throw new IllegalStateException("redis-server did not start on port " + PORT);
            }
            LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
        }
    }

    /** Stops the server at once (its data is gone) and answers once the port no longer accepts connections. */
    public static synchronized void stop() {
        if (process == null) {
            return;
        }
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

    private static boolean accepts() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", PORT), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
