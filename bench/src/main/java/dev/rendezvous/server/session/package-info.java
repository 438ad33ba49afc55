/**
 * JMH benchmarks of the session package's per-frame work (they sit in the same package to reach its
 * package-private scanner). Benchmarks are single-threaded unless annotated otherwise.
 */
package dev.rendezvous.server.session;
