/**
 * TLS material for tests: a self-signed certificate for 127.0.0.1 generated per test (by the JDK's
 * keytool) and written as PEM files, plus a JDK {@link javax.net.ssl.SSLContext} that trusts only it.
 *
 * <p>Threading: generated once by the test thread; the result is immutable.
 */
package dev.rendezvous.testing.tls;
