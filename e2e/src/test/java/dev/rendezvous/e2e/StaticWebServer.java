package dev.rendezvous.e2e;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Map;

/**
 * Serves the web module's classpath resources ({@code web/}) on 127.0.0.1, port 0, for the browser logic
 * tests that need the page's modules but no signaling. (Chromium only lets pages served over http from
 * 127.0.0.1 do what these tests do; about:blank is not enough.)
 */
final class StaticWebServer implements AutoCloseable {

  private static final Map<String, String> TYPES = Map.of(
      "html", "text/html; charset=utf-8",
      "js", "text/javascript; charset=utf-8",
      "css", "text/css; charset=utf-8");

  private final HttpServer server;

  private StaticWebServer(HttpServer server) {
    this.server = server;
  }

  static StaticWebServer start() throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", StaticWebServer::serve);
    server.start();
    return new StaticWebServer(server);
  }

  URI uri() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
  }

  private static void serve(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getPath();
      if (path.equals("/")) path = "/index.html";
      if (path.contains("..")) {
        exchange.sendResponseHeaders(400, -1);
        return;
      }
      try (InputStream in = StaticWebServer.class.getClassLoader().getResourceAsStream("web" + path)) {
        if (in == null) {
          exchange.sendResponseHeaders(404, -1);
          return;
        }
        byte[] body = in.readAllBytes();
        String extension = path.substring(path.lastIndexOf('.') + 1);
        exchange.getResponseHeaders().set("Content-Type", TYPES.getOrDefault(extension, "application/octet-stream"));
        exchange.sendResponseHeaders(200, body.length);
        exchange.getResponseBody().write(body);
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
