package dev.rendezvous.server.config;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rendezvous.server.ServerConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * One server setting, declared once: its three names — YAML key ({@code ice.turn_ttl}), flag
 * ({@code --turn-ttl}), environment variable ({@code RENDEZVOUS_TURN_TTL}) — its default, how to read a
 * value, and what the help text, {@code --print-config} and the documentation table say about it.
 * {@link ConfigLayers} resolves it with precedence flag > environment > file > default.
 *
 * <p>Declare with a factory ({@link #integer}, {@link #text}, …) and refine with the {@code with}-style
 * methods: {@link #masked()}, {@link #label(String)}, {@link #shownDefault(String)} and
 * {@link #into(BiConsumer)}, which applies the resolved value to a {@link ServerConfig.Builder} so that a
 * plain setting needs no wiring code at all.
 *
 * @param key dotted YAML key
 * @param flag command-line flag, or null when there is none
 * @param env environment variable, or null when there is none
 * @param defaultValue the value when no layer sets it (may be null: "unset")
 * @param reader converts a flag/env text or YAML node into the value, or throws
 *     {@link IllegalArgumentException} with a one-sentence problem
 * @param secret whether {@code --print-config} masks it
 * @param description one or two sentences for the help text and the documentation table
 * @param label the flag's parameter in help and docs ({@code N}, {@code DURATION}, {@code URL}, …)
 * @param repeatable whether the flag may be repeated (a list: comma-separated in the environment)
 * @param shownDefault how help and docs show the default, or null to show {@code defaultValue}
 * @param target applies the resolved value to a server configuration builder, or null when the
 *     caller wires the value by hand (it needs other settings, or builds something from it)
 */
public record Setting<T>(
        String key,
        String flag,
        String env,
        T defaultValue,
        Reader<T> reader,
        boolean secret,
        String description,
        String label,
        boolean repeatable,
        String shownDefault,
        BiConsumer<ServerConfig.Builder, T> target) {

    /** Converts one layer's raw value. Text from flags and env arrives as a text node (lists as arrays). */
    @FunctionalInterface
    public interface Reader<T> {
        T read(JsonNode raw);
    }

    public Setting {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(reader, "reader");
        Objects.requireNonNull(label, "label");
    }

    private Setting(
            String key,
            String flag,
            String env,
            T defaultValue,
            Reader<T> reader,
            String description,
            String label,
            boolean repeatable) {
        this(key, flag, env, defaultValue, reader, false, description, label, repeatable, null, null);
    }

    /** The same setting, masked by {@code --print-config}. */
    public Setting<T> masked() {
        return shown(true, label, shownDefault, target);
    }

    /** The same setting with this parameter label for its flag (e.g. {@code URL}). */
    public Setting<T> label(String newLabel) {
        return shown(secret, newLabel, shownDefault, target);
    }

    /** The same setting, its default shown as {@code text} (e.g. {@code unset (auth off)}). */
    public Setting<T> shownDefault(String text) {
        return shown(secret, label, text, target);
    }

    /** The same setting, applied to the server configuration with {@code apply} (e.g. {@code Builder::port}). */
    public Setting<T> into(BiConsumer<ServerConfig.Builder, T> apply) {
        return shown(secret, label, shownDefault, apply);
    }

    /** The same setting (names, default, reader, description) with these ways of showing and applying it. */
    private Setting<T> shown(
            boolean newSecret, String newLabel, String newShownDefault, BiConsumer<ServerConfig.Builder, T> newTarget) {
        return new Setting<>(
                key,
                flag,
                env,
                defaultValue,
                reader,
                newSecret,
                description,
                newLabel,
                repeatable,
                newShownDefault,
                newTarget);
    }

    /** Applies the value {@code layers} resolve to {@code builder}, when this setting has a {@link #target}. */
    public void applyTo(ServerConfig.Builder builder, ConfigLayers layers) {
        if (target != null) {
            target.accept(builder, layers.value(this));
        }
    }

    /** The default as help and docs show it: {@link #shownDefault} if given, else the value written plainly. */
    public String defaultText() {
        if (shownDefault != null) {
            return shownDefault;
        }
        return switch (defaultValue) {
            case null -> "unset";
            case Duration d -> DurationText.format(d);
            case Double d when d == Math.rint(d) && !Double.isInfinite(d) -> Long.toString(d.longValue());
            case List<?> l when l.isEmpty() -> "none";
            case List<?> l -> String.join(", ", l.stream().map(String::valueOf).toList());
            default -> String.valueOf(defaultValue);
        };
    }

    public static Setting<String> text(String key, String flag, String env, String defaultValue, String description) {
        return new Setting<>(key, flag, env, defaultValue, Setting::readText, description, "TEXT", false);
    }

    public static Setting<Integer> integer(
            String key, String flag, String env, Integer defaultValue, int min, int max, String description) {
        return new Setting<>(key, flag, env, defaultValue, raw -> readInteger(raw, min, max), description, "N", false);
    }

    public static Setting<Double> decimal(
            String key, String flag, String env, Double defaultValue, double min, String description) {
        return new Setting<>(key, flag, env, defaultValue, raw -> readDecimal(raw, min), description, "N", false);
    }

    public static Setting<Boolean> bool(String key, String flag, String env, Boolean defaultValue, String description) {
        return new Setting<>(key, flag, env, defaultValue, Setting::readBoolean, description, "true|false", false);
    }

    public static Setting<Duration> duration(
            String key, String flag, String env, Duration defaultValue, Duration min, String description) {
        return new Setting<>(
                key, flag, env, defaultValue, raw -> readDuration(raw, min), description, "DURATION", false);
    }

    public static Setting<Path> path(String key, String flag, String env, String description) {
        return new Setting<>(key, flag, env, null, raw -> Path.of(readText(raw)), description, "FILE", false);
    }

    /** A list: repeatable flag, comma-separated environment variable, YAML list (or a single string). */
    public static Setting<List<String>> list(String key, String flag, String env, String description) {
        return new Setting<>(key, flag, env, List.of(), Setting::readList, description, "VALUE", true);
    }

    private static int readInteger(JsonNode raw, int min, int max) {
        long value = raw.isIntegralNumber() ? raw.asLong() : parse(readText(raw), Long::parseLong, "a whole number");
        if (value < min || value > max) {
            throw new IllegalArgumentException(value + " is outside " + min + "-" + max);
        }
        return (int) value;
    }

    private static double readDecimal(JsonNode raw, double min) {
        double value = raw.isNumber() ? raw.asDouble() : parse(readText(raw), Double::parseDouble, "a number");
        if (!(value >= min) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(value + " is below the minimum " + min);
        }
        return value;
    }

    /** {@code text} (stripped) as a number, or a problem naming it as not {@code what}. */
    private static <N> N parse(String text, Function<String, N> parser, String what) {
        try {
            return parser.apply(text.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is not " + what);
        }
    }

    private static boolean readBoolean(JsonNode raw) {
        if (raw.isBoolean()) {
            return raw.booleanValue();
        }
        return switch (readText(raw).strip().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on", "1" -> true;
            case "false", "no", "off", "0" -> false;
            default -> throw new IllegalArgumentException("'" + raw.asText() + "' is not true or false");
        };
    }

    private static Duration readDuration(JsonNode raw, Duration min) {
        Duration value = DurationText.parse(readText(raw));
        if (value.compareTo(min) < 0) {
            throw new IllegalArgumentException(
                    DurationText.format(value) + " is shorter than the minimum " + DurationText.format(min));
        }
        return value;
    }

    private static List<String> readList(JsonNode raw) {
        List<String> values = new ArrayList<>();
        if (raw.isArray()) {
            for (JsonNode item : raw) {
                if (!item.isValueNode() || item.isNull()) {
                    throw new IllegalArgumentException("every list item must be a string");
                }
                values.add(item.asText().strip());
            }
        } else {
            for (String part : readText(raw).split(",")) {
                if (!part.isBlank()) {
                    values.add(part.strip());
                }
            }
        }
        return List.copyOf(values);
    }

    private static String readText(JsonNode raw) {
        if (raw.isContainerNode() || raw.isNull()) {
            throw new IllegalArgumentException(
                    "expected a single value, got " + (raw.isArray() ? "a list" : raw.isNull() ? "null" : "a mapping"));
        }
        return raw.asText();
    }
}
