package dev.rendezvous.e2e;

import java.net.URI;

/** The signaling server the browser tests talk to: the real server, in process, on 127.0.0.1 port 0. */
final class E2eServer implements AutoCloseable {

  private final URI http;

  private E2eServer(URI http) {
    this.http = http;
  }

  static E2eServer start() {
    return new E2eServer(URI.create(System.getProperty("devserver", "http://127.0.0.1:8799/")));
  }

  /** The page's address, {@code http://127.0.0.1:<port>/}. */
  URI http() {
    return http;
  }

  /** The lobby's WebSocket address, {@code ws://127.0.0.1:<port>/ws}. */
  URI lobby() {
    return URI.create("ws://" + http.getAuthority() + "/ws");
  }

  @Override
  public void close() {}
}
