package dev.rendezvous.server.session;

import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.UUID;

/**
 * Server-assigned client ids: random (version 4) UUIDs in their usual text form, from a cryptographically
 * strong generator, so ids stay unguessable.
 *
 * <p>Why not {@link UUID#randomUUID()}: it draws from one JVM-wide {@code SecureRandom} (NativePRNG on
 * Linux), which takes a global lock and reads {@code /dev/urandom} on every call — a system call per
 * connection on the event loops. Here each thread owns a DRBG (NIST SP 800-90A, seeded once from the
 * system's entropy and reseeded by the JDK as the standard requires), so no lock and no system call.
 *
 * <p>Threading: any thread; each thread uses its own generator.
 */
final class ClientIds {
    private static final ThreadLocal<SecureRandom> RANDOM = ThreadLocal.withInitial(ClientIds::newGenerator);

    private ClientIds() {}

    /** A fresh random id, e.g. {@code 3f1c2b9e-8a47-4d2e-b1f0-6c5d4e3a2b10}. */
    static String next() {
        byte[] b = new byte[16];
        RANDOM.get().nextBytes(b);
        b[6] = (byte) ((b[6] & 0x0f) | 0x40); // version 4
        b[8] = (byte) ((b[8] & 0x3f) | 0x80); // IETF variant
        long msb = 0;
        long lsb = 0;
        for (int i = 0; i < 8; i++) {
            msb = (msb << 8) | (b[i] & 0xff);
            lsb = (lsb << 8) | (b[i + 8] & 0xff);
        }
        return new UUID(msb, lsb).toString();
    }

    static SecureRandom newGenerator() {
        try {
            return SecureRandom.getInstance("DRBG");
        } catch (NoSuchAlgorithmException e) {
            return new SecureRandom(); // every JDK since 9 has DRBG; never weaker than the platform default
        }
    }
}
