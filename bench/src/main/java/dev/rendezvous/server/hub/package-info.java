/** JMH benchmarks of the hub's routing; the links do no I/O. Thread count per benchmark annotation. */
package dev.rendezvous.server.hub;
