package dev.rendezvous.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rendezvous.server.config.ConfigLayers.Source;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLayersTest {

    static final Setting<Integer> PORT = Setting.integer("port", "--port", "RENDEZVOUS_PORT", 8765, 0, 65_535, "port");
    static final Setting<List<String>> ICE =
            Setting.list("ice.servers", "--ice-server", "RENDEZVOUS_ICE_SERVERS", "urls");
    static final Setting<String> SECRET = Setting.text(
                    "ice.turn_secret", "--turn-secret", "RENDEZVOUS_TURN_SECRET", null, "s")
            .masked();
    static final Setting<Duration> TTL = Setting.duration(
            "ice.turn_ttl", "--turn-ttl", "RENDEZVOUS_TURN_TTL", Duration.ofHours(24), Duration.ofSeconds(1), "ttl");
    static final Set<String> KEYS = Set.of("port", "ice.servers", "ice.turn_secret", "ice.turn_ttl");

    @TempDir
    Path dir;

    private Path yaml(String text) throws Exception {
        return Files.writeString(dir.resolve("rendezvous.yaml"), text);
    }

    private ConfigLayers layers(Map<String, Object> flags, Map<String, String> env, Path file) {
        return new ConfigLayers(
                ConfigLayers.flagValues(flags),
                env,
                file == null ? Map.of() : ConfigFile.read(file, KEYS),
                Optional.ofNullable(file));
    }

    @Test
    void flagsBeatEnvironmentBeatsFileBeatsDefaults() throws Exception {
        Path file = yaml(
                "port: 9000\nice:\n  servers: [\"stun:127.0.0.1:3478\"]\n  turn_ttl: 2h\n  turn_secret: from-file\n");

        ConfigLayers layers =
                layers(Map.of("port", "9100"), Map.of("RENDEZVOUS_PORT", "9200", "RENDEZVOUS_TURN_TTL", "3h"), file);

        assertThat(layers.resolve(PORT)).isEqualTo(new ConfigLayers.Resolved<>(9100, Source.FLAG));
        assertThat(layers.resolve(TTL)).isEqualTo(new ConfigLayers.Resolved<>(Duration.ofHours(3), Source.ENV));
        assertThat(layers.resolve(ICE))
                .isEqualTo(new ConfigLayers.Resolved<>(List.of("stun:127.0.0.1:3478"), Source.FILE));
        assertThat(layers(Map.of(), Map.of(), null).resolve(PORT))
                .isEqualTo(new ConfigLayers.Resolved<>(8765, Source.DEFAULT));
    }

    @Test
    void listsComeFromRepeatedFlagsCommaSeparatedEnvOrYamlLists() {
        assertThat(layers(Map.of("ice.servers", List.of("stun:a", "stun:b")), Map.of(), null)
                        .value(ICE))
                .containsExactly("stun:a", "stun:b");
        assertThat(layers(Map.of(), Map.of("RENDEZVOUS_ICE_SERVERS", "stun:a, turn:b"), null)
                        .value(ICE))
                .containsExactly("stun:a", "turn:b");
    }

    @Test
    void badValueNamesKeyProblemAndSource() throws Exception {
        assertThatThrownBy(() -> layers(Map.of(), Map.of("RENDEZVOUS_PORT", "eighty"), null)
                        .value(PORT))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessage("port: 'eighty' is not a whole number (from RENDEZVOUS_PORT)");
        Path file = yaml("port: 70000\n");
        assertThatThrownBy(() -> layers(Map.of(), Map.of(), file).value(PORT))
                .hasMessage("port: 70000 is outside 0-65535 (from " + file + ")");
        assertThatThrownBy(() ->
                        layers(Map.of("ice.turn_ttl", "soon"), Map.of(), null).value(TTL))
                .hasMessageStartingWith("ice.turn_ttl: 'soon' is not a duration")
                .hasMessageEndingWith("(from --turn-ttl)");
    }

    @Test
    void unknownYamlKeyIsRefusedWithASuggestion() throws Exception {
        Path file = yaml("ice:\n  turn_secrett: x\n");

        assertThatThrownBy(() -> ConfigFile.read(file, KEYS))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessage("ice.turn_secrett: unknown setting (did you mean ice.turn_secret?)");
    }

    @Test
    void invalidYamlNamesTheLine() throws Exception {
        Path file = yaml("port: 1\nice: [unclosed\n");

        assertThatThrownBy(() -> ConfigFile.read(file, KEYS))
                .hasMessageStartingWith("config: " + file)
                .hasMessageContaining("is not valid YAML");
    }

    @Test
    void missingFileIsNamed() {
        assertThatThrownBy(() -> ConfigFile.read(dir.resolve("absent.yaml"), KEYS))
                .hasMessage("config: " + dir.resolve("absent.yaml") + " does not exist or is not a file");
    }

    @Test
    void renderShowsValuesWithSourcesAndMasksSecrets() throws Exception {
        Path file = yaml("ice:\n  turn_secret: hunter2\n");
        ConfigLayers layers = layers(Map.of("port", "9100"), Map.of(), file);

        String text = layers.render(List.of(PORT, ICE, SECRET, TTL));

        assertThat(text)
                .doesNotContain("hunter2")
                .contains(
                        "port: 9100  # --port\n",
                        "ice:\n  servers: []  # default\n  turn_secret: \"***\"  # " + file
                                + "\n  turn_ttl: \"1d\"  # default\n");
    }
}
