package org.clinical.infra.kafka;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.BindException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.common.utils.Utils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Kafka broker running inside this JVM, for local runs and tests: Kafka's own
 * {@link KafkaRaftServer} in KRaft mode, one process acting as both broker and controller, listening
 * on 127.0.0.1 only. Its log directory is formatted the way {@code kafka-storage format} does it. It can be
 * {@link #stop stopped} and {@link #restart restarted} on the same ports and log directory, keeping its topics
 * and records, as a real broker's outage would.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);
    private static final String HOST = "127.0.0.1";
    private static final int NODE_ID = 1;
    private static final int START_ATTEMPTS = 3;

    private static final int RESTART_ATTEMPTS = 20;

    private final int port;
    private final int controllerPort;
    private final Path logDir;
    private final boolean temporaryLogDir;
    private KafkaRaftServer server;
    private final AtomicBoolean closed = new AtomicBoolean();

    private EmbeddedKafkaBroker(int port, int controllerPort, Path logDir, boolean temporaryLogDir,
                                KafkaRaftServer server) {
        this.port = port;
        this.controllerPort = controllerPort;
        this.logDir = logDir;
        this.temporaryLogDir = temporaryLogDir;
        this.server = server;
    }

    /** Starts a broker on the given client port (0 picks a free one) with a temporary log directory. */
    public static EmbeddedKafkaBroker start(int port) {
        return start(port, null);
    }

    /**
     * Starts a broker on the given client port (0 picks a free one), keeping its data in {@code logDir},
     * or in a temporary directory deleted on close when {@code logDir} is null.
     */
    public static EmbeddedKafkaBroker start(int port, Path logDir) {
        long started = System.nanoTime();
        boolean temporary = logDir == null;
        Path dir = temporary ? createTempDir() : logDir;
        for (int attempt = 1; ; attempt++) {
            int clientPort = port == 0 ? freePort() : port;
            int controllerPort = freePort();
            try {
                KafkaRaftServer server = startServer(brokerProperties(clientPort, controllerPort, dir), dir);
                EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(clientPort, controllerPort, dir, temporary,
                        server);
                log.info("Kafka broker (KRaft) started on {} in {} ms, log dir {}",
                        broker.bootstrapServers(), Duration.ofNanos(System.nanoTime() - started).toMillis(), dir);
                return broker;
            } catch (RuntimeException e) {
                if (attempt < START_ATTEMPTS && lostPortRace(e, port)) {
                    log.info("A port picked for the Kafka broker was taken meanwhile, retrying: {}", e.getMessage());
                    continue;
                }
                if (temporary) {
                    delete(dir);
                }
                throw new IllegalStateException("Could not start the in-process Kafka broker on port " + clientPort, e);
            }
        }
    }

    public String bootstrapServers() {
        return HOST + ":" + port;
    }

    public int port() {
        return port;
    }

    public Path logDir() {
        return logDir;
    }

    /** Whether the broker runs now (not stopped, not closed). */
    public synchronized boolean running() {
        return server != null;
    }

    /** Stops the broker as an outage would, keeping its log directory; {@link #restart} brings it back. */
    public synchronized void stop() {
        if (server != null) {
            shutdown(server);
            server = null;
            log.info("Kafka broker on {} stopped (log dir kept)", bootstrapServers());
        }
    }

    /**
     * Starts a stopped broker again on the same ports and log directory: its topics and records are still there.
     * Retries while the operating system has not released the ports yet.
     */
    public synchronized void restart() {
        if (closed.get()) {
            throw new IllegalStateException("The broker is closed");
        }
        if (server != null) {
            return;
        }
        for (int attempt = 1; ; attempt++) {
            try {
                server = startServer(brokerProperties(port, controllerPort, logDir), logDir);
                log.info("Kafka broker on {} restarted", bootstrapServers());
                return;
            } catch (RuntimeException e) {
                if (attempt >= RESTART_ATTEMPTS || !bindFailure(e)) {
                    throw new IllegalStateException("Could not restart the in-process Kafka broker on port " + port, e);
                }
                try {
                    Thread.sleep(250);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("Interrupted while restarting the Kafka broker", interrupted);
                }
            }
        }
    }

    @Override
    public synchronized void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        if (server != null) {
            shutdown(server);
            server = null;
        }
        if (temporaryLogDir) {
            delete(logDir);
        }
        log.info("Kafka broker on {} stopped", bootstrapServers());
    }

    private static Properties brokerProperties(int clientPort, int controllerPort, Path dir) {
        Properties props = new Properties();
        props.put("process.roles", "broker,controller");
        props.put("node.id", String.valueOf(NODE_ID));
        props.put("controller.quorum.voters", NODE_ID + "@" + HOST + ":" + controllerPort);
        props.put("controller.listener.names", "CONTROLLER");
        props.put("inter.broker.listener.name", "PLAINTEXT");
        props.put("listeners", "PLAINTEXT://" + HOST + ":" + clientPort + ",CONTROLLER://" + HOST + ":" + controllerPort);
        props.put("advertised.listeners", "PLAINTEXT://" + HOST + ":" + clientPort);
        props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        props.put("log.dirs", dir.toAbsolutePath().toString());
        props.put("num.partitions", "3");
        props.put("default.replication.factor", "1");
        props.put("min.insync.replicas", "1");
        props.put("auto.create.topics.enable", "true");
        props.put("offsets.topic.replication.factor", "1");
        props.put("offsets.topic.num.partitions", "5");
        props.put("transaction.state.log.replication.factor", "1");
        props.put("transaction.state.log.min.isr", "1");
        props.put("transaction.state.log.num.partitions", "5");
        props.put("group.initial.rebalance.delay.ms", "0");
        props.put("log.cleaner.dedupe.buffer.size", String.valueOf(2 * 1024 * 1024));
        return props;
    }

    private static void format(Properties props, Path dir) {
        Path configFile = null;
        try {
            configFile = Files.createTempFile("kafka-server", ".properties");
            try (Writer writer = Files.newBufferedWriter(configFile)) {
                props.store(writer, "in-process KRaft broker");
            }
            String[] args = {"format", "--config", configFile.toString(),
                    "--cluster-id", clusterId(dir), "--ignore-formatted"};
            int exitCode = StorageTool.execute(args, new PrintStream(OutputStream.nullOutputStream()));
            if (exitCode != 0) {
                throw new IllegalStateException("kafka-storage format failed for " + dir + " (exit code " + exitCode + ")");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (configFile != null) {
                delete(configFile);
            }
        }
    }

    private static String clusterId(Path dir) throws IOException {
        Path metaProperties = dir.resolve("meta.properties");
        if (Files.isRegularFile(metaProperties)) {
            Properties meta = new Properties();
            try (Reader reader = Files.newBufferedReader(metaProperties)) {
                meta.load(reader);
            }
            String existing = meta.getProperty("cluster.id");
            if (existing != null && !existing.isBlank()) {
                return existing;
            }
        }
        return Uuid.randomUuid().toString();
    }

    private static KafkaRaftServer startServer(Properties props, Path dir) {
        format(props, dir);
        KafkaRaftServer server = new KafkaRaftServer(new KafkaConfig(props), Time.SYSTEM);
        try {
            server.startup();
            return server;
        } catch (RuntimeException e) {
            shutdown(server);
            throw e;
        }
    }

    private static boolean lostPortRace(Throwable failure, int requestedPort) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof BindException) {
                return requestedPort == 0 || isFree(requestedPort);
            }
        }
        return false;
    }

    private static boolean bindFailure(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof BindException) {
                return true;
            }
        }
        return false;
    }

    private static void shutdown(KafkaRaftServer server) {
        server.shutdown();
        server.awaitShutdown();
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 0, InetAddress.getByName(HOST))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("No free port on " + HOST, e);
        }
    }

    private static boolean isFree(int port) {
        try (ServerSocket ignored = new ServerSocket(port, 0, InetAddress.getByName(HOST))) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static Path createTempDir() {
        try {
            return Files.createTempDirectory("kafka-kraft-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void delete(Path path) {
        try {
            Utils.delete(path.toFile());
        } catch (IOException e) {
            log.warn("Could not delete {}: {}", path, e.getMessage());
        }
    }
}
