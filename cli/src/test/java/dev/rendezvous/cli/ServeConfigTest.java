package dev.rendezvous.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rendezvous.server.config.ConfigLayers;
import dev.rendezvous.server.peerjs.PeerJsConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** rendezvous serve's configuration: precedence, --print-config, and failures that name the key. */
class ServeConfigTest {

    @TempDir
    Path dir;

    private final ServeRun run = new ServeRun();

    @Test
    void printConfigShowsEachValueWithItsSourceAndMasksSecrets() throws Exception {
        Path file = Files.writeString(dir.resolve("rendezvous.yaml"), """
                port: 9000
                keepalive:
                  ping_interval_ms: 20000
                auth:
                  jwt_secret: file-secret-that-must-never-be-printed
                ice:
                  servers: ["stun:127.0.0.1:3478"]
                  turn_ttl: 2h
                """);

        String printed = run.printConfig(
                Map.of("RENDEZVOUS_PORT", "9100", "RENDEZVOUS_TURN_TTL", "3h", "RENDEZVOUS_TURN_SECRET", "env-secret"),
                "--config",
                file.toString(),
                "--port",
                "9200");

        assertThat(printed)
                .contains("port: 9200  # --port\n")
                .contains(
                        "keepalive:\n  ping_interval_ms: 20000  # " + file + "\n  ping_timeout_ms: 45000  # default\n")
                .contains("  jwt_secret: \"***\"  # " + file + "\n")
                .contains("  servers: [\"stun:127.0.0.1:3478\"]  # " + file + "\n")
                .contains("  turn_secret: \"***\"  # RENDEZVOUS_TURN_SECRET\n")
                .contains("  turn_ttl: \"3h\"  # RENDEZVOUS_TURN_TTL\n")
                .contains("host: \"127.0.0.1\"  # default\n")
                .doesNotContain("file-secret-that-must-never-be-printed")
                .doesNotContain("env-secret");
    }

    @Test
    void theServerHelpersEnvironmentVariablesStillWork() {
        String printed = run.printConfig(Map.of(
                "RENDEZVOUS_PING_INTERVAL_MS",
                "1000",
                "RENDEZVOUS_RATE_LIMIT",
                "50",
                "RENDEZVOUS_ICE_SERVERS",
                "stun:127.0.0.1:3478,stun:127.0.0.1:3479"));

        assertThat(printed)
                .contains("ping_interval_ms: 1000  # RENDEZVOUS_PING_INTERVAL_MS")
                .contains("rate_limit: 50.0  # RENDEZVOUS_RATE_LIMIT")
                .contains("servers: [\"stun:127.0.0.1:3478\", \"stun:127.0.0.1:3479\"]  # RENDEZVOUS_ICE_SERVERS");
    }

    @Test
    void configFileFromTheEnvironment() throws Exception {
        Path file = Files.writeString(dir.resolve("c.yaml"), "io_threads: 3\n");

        assertThat(run.printConfig(Map.of("RENDEZVOUS_CONFIG", file.toString())))
                .contains("io_threads: 3  # " + file);
    }

    @Test
    void badEnvironmentValueFailsNamingKeyAndSource() {
        run.assertRefused(
                "invalid configuration: port: 'eighty' is not a whole number (from RENDEZVOUS_PORT)",
                Map.of("RENDEZVOUS_PORT", "eighty"));
    }

    @Test
    void unknownYamlKeyFailsWithASuggestion() throws Exception {
        Path file = Files.writeString(dir.resolve("typo.yaml"), "ice:\n  turn_secrett: x\n");

        run.assertRefused(
                "ice.turn_secrett: unknown setting (did you mean ice.turn_secret?)",
                Map.of(),
                "--config",
                file.toString());
    }

    @Test
    void turnUrlWithoutSecretFailsNamingTheSecret() {
        run.assertRefused(
                "ice.turn_secret: TURN URL turn:127.0.0.1:3478 needs a TURN secret",
                Map.of(),
                "--port",
                "0",
                "--ice-server",
                "turn:127.0.0.1:3478");
    }

    @Test
    void malformedIceUrlFailsNamingTheList() {
        run.assertRefused(
                "ice.servers: 'stun.example.com' is not a stun:, stuns:, turn: or turns: URL",
                Map.of(),
                "--ice-server",
                "stun.example.com");
    }

    @Test
    void tlsCertWithoutKeyFails() throws Exception {
        Path cert = Files.writeString(dir.resolve("cert.pem"), "x");

        run.assertRefused("tls.key: is required when tls.cert is set", Map.of(), "--tls-cert", cert.toString());
    }

    @Test
    void pingTimeoutNotAboveIntervalFails() {
        run.assertRefused(
                "keepalive.ping_timeout_ms: 5000 must be greater than keepalive.ping_interval_ms (5000)",
                Map.of(),
                "--ping-interval-ms",
                "5000",
                "--ping-timeout-ms",
                "5000");
    }

    @Test
    void badDurationInFileNamesKeyAndFile() throws Exception {
        Path file = Files.writeString(dir.resolve("ttl.yaml"), "ice:\n  turn_ttl: forever\n");

        assertThat(run.serve(Map.of(), "--config", file.toString())).isEqualTo(2);

        assertThat(run.err())
                .contains("ice.turn_ttl: 'forever' is not a duration")
                .contains("(from " + file + ")");
    }

    @Test
    void peerJsSettingsReachTheServerConfig() {
        ConfigLayers layers = new ConfigLayers(
                ConfigLayers.flagValues(Map.of(
                        ServeSettings.PEERJS_PATH.key(),
                        "/myapp",
                        ServeSettings.PEERJS_KEY.key(),
                        "k1",
                        ServeSettings.PEERJS_ALLOW_DISCOVERY.key(),
                        "true",
                        ServeSettings.PEERJS_EXPIRE_TIMEOUT.key(),
                        "2s")),
                Map.of("RENDEZVOUS_PEERJS_ALIVE_TIMEOUT", "30s", "RENDEZVOUS_PEERJS_CONCURRENT_LIMIT", "7"),
                Map.of(),
                java.util.Optional.empty());
        ServeSettings.Built built = ServeSettings.build(layers, java.time.Clock.systemUTC());
        built.blockingWork().shutdown();

        assertThat(built.config().peerJs())
                .isEqualTo(PeerJsConfig.DEFAULT
                        .withPath("/myapp/")
                        .withKey("k1")
                        .withAllowDiscovery(true)
                        .withExpireTimeout(java.time.Duration.ofSeconds(2))
                        .withAliveTimeout(java.time.Duration.ofSeconds(30))
                        .withConcurrentLimit(7));
    }

    @Test
    void peerJsIsOnByDefaultAndCanBeTurnedOff() {
        assertThat(run.printConfig(Map.of("RENDEZVOUS_PEERJS", "false")))
                .contains("peerjs:\n  enabled: false  # RENDEZVOUS_PEERJS\n")
                .contains("  path: \"/\"  # default\n")
                .contains("  key: \"peerjs\"  # default\n");
    }

    @Test
    void aPeerJsPathWithoutLeadingSlashFailsNamingTheKey() {
        assertThat(run.serve(Map.of(), "--peerjs-path", "myapp")).isEqualTo(2);

        assertThat(run.err()).contains("peerjs.path: ").contains("must start with /, got myapp");
    }

    @Test
    void theSecurityBoundsAreCheckedNamingTheirKeys() {
        run.assertRefused(
                "auth.jwt_secret: must be at least 32 bytes",
                Map.of(),
                "--port",
                "0",
                "--jwt-secret",
                "too-short-a-secret");
        run.assertRefused(
                "auth.client_id_binding: must be none or subject",
                Map.of("RENDEZVOUS_CLIENT_ID_BINDING", "everyone"),
                "--port",
                "0");
        run.assertRefused(
                "http.trusted_proxies: not an IP address or CIDR range: proxy.example.com",
                Map.of(),
                "--port",
                "0",
                "--trusted-proxy",
                "proxy.example.com");
        run.assertRefused(
                "metrics.token: must be at least 16 characters", Map.of(), "--port", "0", "--metrics-token", "short");
    }
}
