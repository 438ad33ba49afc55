/**
 * A real coturn ({@code turnserver} from Debian's {@code coturn} package) for tests: started on
 * 127.0.0.1 with free ports and {@code use-auth-secret}, so tests mint TURN REST credentials for it and
 * peers relay through it with every packet on loopback. Stopped by its own {@link java.lang.Process}
 * handle, never by name.
 *
 * <p>Threading: a {@link dev.rendezvous.testing.coturn.Coturn} is started and closed by the test thread;
 * its accessors are immutable and safe from any thread.
 */
package dev.rendezvous.testing.coturn;
