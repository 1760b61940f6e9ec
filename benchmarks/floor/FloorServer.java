import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Executors;

/**
 * The floor of the cached-summary scenario: an HTTP server that does no work, answering every request with the
 * same bytes, headers and status as the platform's cached summary (the body of one real answer, read from a
 * file). The load generator's run against it on the same machine says what the machine itself allows, whatever
 * the server: its rate bounds any server's, and the load generator's CPU per request in it is what no server can
 * take back. Run by {@code benchmarks/run.sh} (FLOOR=1) from its source with the JDK:
 * {@code java benchmarks/floor/FloorServer.java PORT BODY_FILE}.
 */
public final class FloorServer {

    public static void main(String[] args) throws IOException {
        int port = Integer.parseInt(args[0]);
        byte[] body = Files.readAllBytes(Path.of(args[1]));
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
        server.createContext("/", exchange -> {
            try (exchange) {
                exchange.getRequestBody().readAllBytes();
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.getResponseHeaders().set("ETag", "W/\"1\"");
                exchange.getResponseHeaders().set("Cache-Control", "no-cache, private");
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
        });
        // As many threads as the platform's Tomcat keeps busy under 16 clients: one per connection.
        server.setExecutor(Executors.newFixedThreadPool(16));
        server.start();
        System.out.println("floor server on 127.0.0.1:" + port + ", " + body.length + " bytes per answer");
    }
}
