/**
 * The load generator behind {@code rendezvous bench}: a lean Netty WebSocket client ({@link
 * dev.rendezvous.cli.bench.WsClient}) and the scenarios that drive many of them against a protocol-v1
 * server on 127.0.0.1 — relay (pairs with a bounded in-flight window), latency (a fixed total rate),
 * capacity (idle connections, RSS and CPU per connection) and fanout (rooms broadcasting).
 *
 * <p>Threading: every client is confined to one event loop; the two ends of a pair (and every member of
 * a room) share a loop, so sequence checks and windows need no locks. Results are gathered through
 * atomics and HdrHistogram recorders, read by the calling thread.
 */
package dev.rendezvous.cli.bench;
