package dev.rendezvous.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rendezvous.server.ServerConfig;
import dev.rendezvous.server.config.ConfigLayers;
import dev.rendezvous.server.config.InvalidConfigException;
import dev.rendezvous.server.config.Setting;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The declarations in {@link ServeSettings} are the one source of every flag, variable, key and default. */
class ServeSettingsTest {

    @TempDir
    Path dir;

    private final ServeRun run = new ServeRun();

    @Test
    void everyNameIsUniqueAndFollowsTheConventions() {
        Set<String> keys = new HashSet<>();
        Set<String> flags = new HashSet<>();
        Set<String> envs = new HashSet<>();
        for (Setting<?> s : ServeSettings.ALL) {
            assertThat(keys.add(s.key())).as("key %s declared once", s.key()).isTrue();
            assertThat(flags.add(s.flag()))
                    .as("flag %s declared once", s.flag())
                    .isTrue();
            assertThat(envs.add(s.env()))
                    .as("variable %s declared once", s.env())
                    .isTrue();
            assertThat(s.key()).as("YAML key").matches("[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)*");
            assertThat(s.flag()).as("flag of %s", s.key()).matches("--[a-z][a-z0-9-]*");
            assertThat(s.env()).as("variable of %s", s.key()).matches("RENDEZVOUS_[A-Z0-9_]+");
            assertThat(s.description())
                    .as("description of %s", s.key())
                    .isNotBlank()
                    .endsWith(".");
        }
        assertThat(ServeSettings.keys())
                .containsExactlyElementsOf(
                        ServeSettings.ALL.stream().map(Setting::key).toList());
    }

    @Test
    void helpListsEveryFlagWithItsDefaultAndVariable() {
        assertThat(run.serve(Map.of(), "--help")).isZero();

        for (Setting<?> s : ServeSettings.ALL) {
            assertThat(run.out()).contains(s.flag() + "=" + s.label()).contains(s.env());
        }
        assertThat(run.out()).contains("Default: 8765.").contains("one per core");
    }

    @Test
    void withNoLayerTheServerGetsTheLibrarysDefaults() {
        ServeSettings.Built built = ServeSettings.build(
                new ConfigLayers(Map.of(), Map.of(), Map.of(), Optional.empty()), Clock.systemUTC());
        try {
            ServerConfig library = ServerConfig.builder().build();
            ServerConfig served = built.config();
            assertThat(served.host()).isEqualTo(library.host());
            assertThat(served.port()).isEqualTo(library.port());
            assertThat(served.pingInterval()).isEqualTo(library.pingInterval());
            assertThat(served.pingTimeout()).isEqualTo(library.pingTimeout());
            assertThat(served.authTimeout()).isEqualTo(library.authTimeout());
            assertThat(served.maxMessageBytes()).isEqualTo(library.maxMessageBytes());
            assertThat(served.rateLimitPerSecond()).isEqualTo(library.rateLimitPerSecond());
            assertThat(served.rateLimitBurst()).isEqualTo(library.rateLimitBurst());
            assertThat(served.maxConnectionsPerAddress()).isEqualTo(library.maxConnectionsPerAddress());
            assertThat(served.connectionRatePerSecond()).isEqualTo(library.connectionRatePerSecond());
            assertThat(served.connectionBurst()).isEqualTo(library.connectionBurst());
            assertThat(served.trustedProxies()).isEqualTo(library.trustedProxies());
            assertThat(served.unfinishedMessageTimeout()).isEqualTo(library.unfinishedMessageTimeout());
            assertThat(served.maxOutboundBytes()).isEqualTo(library.maxOutboundBytes());
            assertThat(served.shutdownTimeout()).isEqualTo(library.shutdownTimeout());
            assertThat(served.ioThreads()).isEqualTo(library.ioThreads());
        } finally {
            built.blockingWork().shutdown();
        }
    }

    @Test
    void clusterSettingsComeFromTheFileAndShowInPrintConfigWithTheRedisUriMasked() throws Exception {
        Path file = Files.writeString(dir.resolve("cluster.yaml"), """
                cluster:
                  redis: redis://:hunter2@127.0.0.1:6379
                  node_ttl_ms: 3000
                """);

        String printed = run.printConfig(Map.of("RENDEZVOUS_NODE_ID", "node-a"), "--config", file.toString());

        assertThat(printed)
                .contains("cluster:\n  redis: \"***\"  # " + file + "\n")
                .contains("  node_id: \"node-a\"  # RENDEZVOUS_NODE_ID\n")
                .contains("  node_ttl_ms: 3000  # " + file + "\n")
                .doesNotContain("hunter2");
    }

    @Test
    void theAdminTokenIsMaskedInPrintConfigAndAShortOneFailsNamingItsKey() {
        assertThat(run.printConfig(Map.of("RENDEZVOUS_ADMIN_TOKEN", "admin-secret-0123456789")))
                .contains("admin:\n  token: \"***\"  # RENDEZVOUS_ADMIN_TOKEN\n")
                .doesNotContain("admin-secret-0123456789");

        run.assertRefused(
                "invalid configuration: admin.token: must be at least 16 characters",
                Map.of(),
                "--admin-token",
                "short");
    }

    @Test
    void aJwtSecretThatTokenWouldRefuseIsRefusedByServeToo() {
        run.assertRefused(
                "invalid configuration: auth.jwt_secret: must be at least 32 bytes for HS256"
                        + " (got 5): e.g. openssl rand -hex 32",
                Map.of(),
                "--jwt-secret",
                "short");
    }

    @Test
    void aBadClusterValueFailsNamingItsKey() {
        run.assertRefused(
                "invalid configuration: cluster.node_ttl_ms: the node TTL must be at least 300 ms",
                Map.of(),
                "--redis",
                "redis://127.0.0.1:6379",
                "--node-ttl-ms",
                "100");

        run.assertRefused(
                "invalid configuration: cluster.node_id: node ids are 1-64 characters",
                Map.of("RENDEZVOUS_REDIS", "redis://127.0.0.1:6379"),
                "--node-id",
                "no spaces");

        run.assertRefused(
                "cluster.node_ttl_ms: 'soon' is not a whole number (from --node-ttl-ms)",
                Map.of(),
                "--node-ttl-ms",
                "soon");
    }

    @Test
    void aRedisUriThatDoesNotReadFailsNamingTheKey() {
        run.assertRefused("invalid configuration: cluster.redis: ", Map.of(), "--redis", "127.0.0.1:6379");
    }

    @Test
    void aBadFlagValueFailsBuildNamingKeyAndFlag() {
        ConfigLayers layers = new ConfigLayers(
                ConfigLayers.flagValues(Map.of("port", "70000")), Map.of(), Map.of(), Optional.empty());
        assertThatThrownBy(() -> ServeSettings.build(layers, Clock.systemUTC()))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessage("port: 70000 is outside 0-65535 (from --port)");
    }
}
