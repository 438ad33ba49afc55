package dev.rendezvous.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rendezvous.server.config.InvalidConfigException;
import dev.rendezvous.server.config.PemTls;
import dev.rendezvous.testing.tls.TestCertificate;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PemTlsTest {

    @TempDir
    Path dir;

    @Test
    void buildsAServerContextFromGeneratedPemFiles() {
        TestCertificate cert = TestCertificate.generate(dir);

        assertThat(PemTls.serverContext(cert.certFile(), cert.keyFile(), "tls.cert", "tls.key")
                        .isServer())
                .isTrue();
    }

    @Test
    void missingFileIsNamedWithItsSetting() {
        TestCertificate cert = TestCertificate.generate(dir);

        assertThatThrownBy(() -> PemTls.serverContext(dir.resolve("nope.pem"), cert.keyFile(), "tls.cert", "tls.key"))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageStartingWith("tls.cert: ")
                .hasMessageContaining("nope.pem does not exist");
    }

    @Test
    void keyGivenAsCertificateIsRefused() {
        TestCertificate cert = TestCertificate.generate(dir);

        assertThatThrownBy(() -> PemTls.serverContext(cert.keyFile(), cert.keyFile(), "tls.cert", "tls.key"))
                .hasMessageStartingWith("tls.cert: ")
                .hasMessageContaining("not a PEM file with a CERTIFICATE block");
    }

    @Test
    void pkcs1KeyIsRefusedWithTheConversionCommand() throws Exception {
        TestCertificate cert = TestCertificate.generate(dir);
        Path rsa = Files.writeString(
                dir.resolve("rsa.pem"), "-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n");

        assertThatThrownBy(() -> PemTls.serverContext(cert.certFile(), rsa, "tls.cert", "tls.key"))
                .hasMessageStartingWith("tls.key: ")
                .hasMessageContaining("openssl pkcs8 -topk8 -nocrypt");
    }
}
