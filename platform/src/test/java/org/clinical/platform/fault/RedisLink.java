package org.clinical.platform.fault;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A TCP link from a port of its own to Redis, for one instance of the platform: {@link #cut} closes every
 * connection through it and refuses new ones (Redis unreachable from that instance alone, keeping its entries
 * for the others), {@link #restore} lets connections through again.
 */
final class RedisLink implements AutoCloseable {

    final int port = FaultPlatform.freePort();
    private final int redisPort;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private final ExecutorService threads = Executors.newCachedThreadPool(Thread.ofPlatform().daemon().factory());
    private ServerSocket server;

    RedisLink(int redisPort) {
        this.redisPort = redisPort;
        restore();
    }

    String url() {
        return "redis://127.0.0.1:" + port;
    }

    synchronized void restore() {
        try {
            server = new ServerSocket();
            server.setReuseAddress(true);
            server.bind(new InetSocketAddress("127.0.0.1", port));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ServerSocket accepting = server;
        threads.submit(() -> accept(accepting));
    }

    synchronized void cut() {
        close(server);
        sockets.forEach(RedisLink::close);
        sockets.clear();
    }

    @Override
    public void close() {
        cut();
        threads.shutdownNow();
    }

    private void accept(ServerSocket accepting) {
        while (!accepting.isClosed()) {
            try {
                Socket client = accepting.accept();
                Socket redis = new Socket("127.0.0.1", redisPort);
                sockets.add(client);
                sockets.add(redis);
                threads.submit(() -> pump(client, redis));
                threads.submit(() -> pump(redis, client));
            } catch (IOException closed) {
                return;
            }
        }
    }

    private static void pump(Socket from, Socket to) {
        try {
            from.getInputStream().transferTo(to.getOutputStream());
        } catch (IOException closed) {
            // either side closed, or the link was cut
        } finally {
            close(from);
            close(to);
        }
    }

    private static void close(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception ignored) {
            // already closed
        }
    }
}
