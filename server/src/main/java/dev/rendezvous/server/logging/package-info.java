/**
 * Log lines a hostile client cannot forge or flood: {@link dev.rendezvous.server.logging.LogText} escapes and
 * caps every client-supplied string before it reaches a log line, and
 * {@link dev.rendezvous.server.logging.LogBudget} bounds how many lines clients can cause per second (the
 * rest are counted, in {@code /metrics}, not written).
 *
 * <p>Thread-safe: both are called from any event loop without locks.
 */
package dev.rendezvous.server.logging;
