/**
 * Every benchmark of the project, none of them a test: JMH benchmarks and plain-loop CPU and memory
 * measurements over the server's public API, and load generators that run real servers, Redis nodes
 * and peers on 127.0.0.1 (bounded loops). Commands and figures: {@code docs/benchmarks.md}. Each
 * benchmark drives its own threads as its Javadoc says; none runs in the default build.
 */
package dev.rendezvous.bench;
