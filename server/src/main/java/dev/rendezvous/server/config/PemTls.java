package dev.rendezvous.server.config;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.net.ssl.SSLException;

/**
 * Builds the server's TLS context from a PEM certificate chain and a PEM private key, failing with a
 * message that names the setting and the problem (missing file, not PEM, key that does not match).
 * The same port then serves https and wss.
 */
public final class PemTls {

    private PemTls() {}

    /**
     * @param certKey the setting name the certificate came from, for messages (e.g. {@code tls.cert})
     * @param keyKey the setting name the key came from (e.g. {@code tls.key})
     * @throws InvalidConfigException naming the setting and the problem
     */
    public static SslContext serverContext(Path cert, Path key, String certKey, String keyKey) {
        String certText = readPem(cert, certKey, "CERTIFICATE");
        String keyText = readPem(key, keyKey, "PRIVATE KEY");
        if (keyText.contains("ENCRYPTED PRIVATE KEY")) {
            throw new InvalidConfigException(
                    keyKey,
                    key + " is an encrypted key; decrypt it first" + " (openssl pkcs8 -topk8 -nocrypt -in "
                            + key.getFileName() + " -out key.pem)");
        }
        if (!keyText.contains("-----BEGIN PRIVATE KEY-----")) {
            throw new InvalidConfigException(
                    keyKey,
                    key + " holds a PKCS#1/SEC1 key; convert it to PKCS#8" + " (openssl pkcs8 -topk8 -nocrypt -in "
                            + key.getFileName() + " -out key.pem)");
        }
        try {
            return SslContextBuilder.forServer(cert.toFile(), key.toFile()).build();
        } catch (SSLException | IllegalArgumentException e) {
            throw new InvalidConfigException(
                    certKey + "/" + keyKey,
                    "cannot use " + cert + " with " + key + ": " + rootMessage(e)
                            + " (does the key belong to the certificate?)");
        }
    }

    private static String readPem(Path file, String key, String expectedLabel) {
        if (!Files.isRegularFile(file)) {
            throw new InvalidConfigException(key, file + " does not exist or is not a file");
        }
        String text;
        try {
            text = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new InvalidConfigException(key, "cannot read " + file + ": " + e.getMessage());
        }
        if (!text.contains("-----BEGIN ") || !text.contains(expectedLabel)) {
            throw new InvalidConfigException(key, file + " is not a PEM file with a " + expectedLabel + " block");
        }
        return text;
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }
}
