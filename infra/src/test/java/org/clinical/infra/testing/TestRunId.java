package org.clinical.infra.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/**
 * The id every module's tests give what their run leaves on the machine (databases, directories, processes):
 * {@code <host>_<pid>_<start>}, a hash of the host and its process-id namespace, the JVM's pid and its start
 * second. One format for all modules, so that platform's {@code Leftovers} can tell of any run's leftovers
 * whether that run is over.
 */
public final class TestRunId {

    /** This machine's part of the id: six hex digits. */
    public static final String HOST = host();
    public static final String ID = HOST + "_" + ProcessHandle.current().pid() + "_" + start(ProcessHandle.current());

    private TestRunId() {
    }

    /** A process's start, in epoch seconds (0 when the system does not say). */
    public static long start(ProcessHandle process) {
        return process.info().startInstant().map(Instant::getEpochSecond).orElse(0L);
    }

    /**
     * The kernel's host name and process-id namespace where there are (no name lookup, which can take seconds),
     * else Java's host name: a container with the host's name (host networking) sees other process ids.
     */
    private static String host() {
        String name;
        try {
            Path kernel = Path.of("/proc/sys/kernel/hostname");
            Path pids = Path.of("/proc/self/ns/pid");
            name = Files.isReadable(kernel)
                    ? Files.readString(kernel).trim() + (Files.exists(pids) ? Files.readSymbolicLink(pids) : "")
                    : InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            name = "localhost";
        }
        return "%06x".formatted(name.hashCode() & 0xffffff);
    }
}
