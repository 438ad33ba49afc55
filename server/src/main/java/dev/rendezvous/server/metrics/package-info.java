/**
 * Server metrics in Prometheus text format (Micrometer): {@link dev.rendezvous.server.metrics.ServerMetrics}
 * turns the hub's observer events into pre-resolved meters and renders {@code GET /metrics}.
 *
 * <p>Threading: every recording method is called on Netty event loops, concurrently, on the message hot
 * path. They only touch meters resolved at construction (an {@link java.util.EnumMap} per tag), never
 * build tags or look meters up per message, and never block. {@code scrape()} may run on any thread.
 */
package dev.rendezvous.server.metrics;
