package dev.rendezvous.server.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Resolves {@link Setting}s from four layers with precedence flags > environment > file > defaults,
 * remembering where each value came from (for {@code --print-config}). A value a layer sets but that
 * does not read is an {@link InvalidConfigException} naming the key, the layer and the problem.
 * Immutable once built; used on the thread that starts the server.
 */
public final class ConfigLayers {

    /** Where a resolved value came from. */
    public enum Source {
        FLAG,
        ENV,
        FILE,
        DEFAULT;

        String describe(Setting<?> setting, Optional<Path> file) {
            return switch (this) {
                case FLAG -> setting.flag();
                case ENV -> setting.env();
                case FILE -> file.map(Path::toString).orElse("the config file");
                case DEFAULT -> "default";
            };
        }
    }

    /** A resolved value and its source. */
    public record Resolved<T>(T value, Source source) {}

    private final Map<String, JsonNode> flags;
    private final Map<String, String> environment;
    private final Map<String, JsonNode> file;
    private final Optional<Path> filePath;

    /**
     * @param flags values given on the command line, by setting key (absent when not given)
     * @param environment the process environment (or a test's map)
     * @param file the flattened config file ({@link ConfigFile#read}), empty without one
     * @param filePath the file's path, for messages
     */
    public ConfigLayers(
            Map<String, JsonNode> flags,
            Map<String, String> environment,
            Map<String, JsonNode> file,
            Optional<Path> filePath) {
        this.flags = Map.copyOf(flags);
        this.environment = Map.copyOf(environment);
        this.file = Map.copyOf(file);
        this.filePath = filePath;
    }

    /** Flag values given as plain strings (lists as {@link List}), converted to the node form settings read. */
    public static Map<String, JsonNode> flagValues(Map<String, Object> given) {
        Map<String, JsonNode> nodes = new LinkedHashMap<>();
        given.forEach((key, value) -> {
            if (value instanceof Collection<?> list) {
                var array = JsonNodeFactory.instance.arrayNode();
                list.forEach(item -> array.add(String.valueOf(item)));
                nodes.put(key, array);
            } else if (value != null) {
                nodes.put(key, JsonNodeFactory.instance.textNode(String.valueOf(value)));
            }
        });
        return nodes;
    }

    public <T> Resolved<T> resolve(Setting<T> setting) {
        JsonNode flag = flags.get(setting.key());
        if (flag != null) {
            return read(setting, flag, Source.FLAG);
        }
        String env = setting.env() == null ? null : environment.get(setting.env());
        if (env != null && !env.isEmpty()) {
            return read(setting, JsonNodeFactory.instance.textNode(env), Source.ENV);
        }
        JsonNode fromFile = file.get(setting.key());
        if (fromFile != null && !fromFile.isNull()) {
            return read(setting, fromFile, Source.FILE);
        }
        return new Resolved<>(setting.defaultValue(), Source.DEFAULT);
    }

    public <T> T value(Setting<T> setting) {
        return resolve(setting).value();
    }

    private <T> Resolved<T> read(Setting<T> setting, JsonNode raw, Source source) {
        try {
            return new Resolved<>(setting.reader().read(raw), source);
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigException(
                    setting.key(), e.getMessage() + " (from " + source.describe(setting, filePath) + ")");
        }
    }

    /**
     * The effective configuration as YAML: every setting's value with its source as a comment, secrets
     * shown as {@code "***"} when set. Nested keys are written nested, in the order given.
     */
    public String render(List<Setting<?>> settings) {
        StringBuilder out =
                new StringBuilder("# effective configuration (precedence: flags > environment > file > defaults)\n");
        List<String> openSections = new ArrayList<>();
        for (Setting<?> setting : settings) {
            Resolved<?> resolved = resolve(setting);
            String[] parts = setting.key().split("\\.");
            List<String> sections = List.of(parts).subList(0, parts.length - 1);
            int common = 0;
            while (common < sections.size()
                    && common < openSections.size()
                    && sections.get(common).equals(openSections.get(common))) {
                common++;
            }
            for (int i = common; i < sections.size(); i++) {
                out.append("  ".repeat(i)).append(sections.get(i)).append(":\n");
            }
            openSections = sections;
            String indent = "  ".repeat(sections.size());
            Object value = resolved.value();
            String shown = value == null ? "null" : setting.secret() ? "\"***\"" : yaml(value);
            out.append(indent)
                    .append(parts[parts.length - 1])
                    .append(": ")
                    .append(shown)
                    .append("  # ")
                    .append(resolved.source().describe(setting, filePath))
                    .append('\n');
        }
        return out.toString();
    }

    /** One value in YAML flow syntax (JSON-quoted strings are valid YAML). */
    static String yaml(Object value) {
        return switch (value) {
            case null -> "null";
            case Number n -> n.toString();
            case Boolean b -> b.toString();
            case java.time.Duration d -> quote(DurationText.format(d));
            case Collection<?> c ->
                c.stream().map(ConfigLayers::yaml).collect(java.util.stream.Collectors.joining(", ", "[", "]"));
            default -> quote(value.toString());
        };
    }

    private static String quote(String text) {
        return JsonNodeFactory.instance.textNode(text).toString();
    }
}
