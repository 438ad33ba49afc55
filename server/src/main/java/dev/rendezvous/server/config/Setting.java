package dev.rendezvous.server.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * One server setting under its three names — YAML key ({@code ice.turn_ttl}), flag ({@code --turn-ttl}),
 * environment variable ({@code RENDEZVOUS_TURN_TTL}) — with its default and how to read a value.
 * {@link ConfigLayers} resolves it with precedence flag > environment > file > default.
 *
 * @param key dotted YAML key
 * @param flag command-line flag, or null when there is none
 * @param env environment variable, or null when there is none
 * @param defaultValue the value when no layer sets it (may be null: "unset")
 * @param reader converts a flag/env text or YAML node into the value, or throws
 *     {@link IllegalArgumentException} with a one-sentence problem
 * @param secret whether {@code --print-config} masks it
 * @param description one line for the documentation table
 */
public record Setting<T>(String key, String flag, String env, T defaultValue, Reader<T> reader, boolean secret,
        String description) {

    /** Converts one layer's raw value. Text from flags and env arrives as a text node (lists as arrays). */
    @FunctionalInterface
    public interface Reader<T> {
        T read(JsonNode raw);
    }

    public Setting {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(reader, "reader");
    }

    /** The same setting, masked by {@code --print-config}. */
    public Setting<T> masked() {
        return new Setting<>(key, flag, env, defaultValue, reader, true, description);
    }

    public static Setting<String> text(String key, String flag, String env, String defaultValue, String description) {
        return new Setting<>(key, flag, env, defaultValue, Setting::readText, false, description);
    }

    public static Setting<Integer> integer(String key, String flag, String env, Integer defaultValue, int min, int max,
            String description) {
        return new Setting<>(key, flag, env, defaultValue, raw -> {
            long value;
            if (raw.isIntegralNumber()) {
                value = raw.asLong();
            } else {
                String text = readText(raw);
                try {
                    value = Long.parseLong(text.strip());
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("'" + text + "' is not a whole number");
                }
            }
            if (value < min || value > max) {
                throw new IllegalArgumentException(value + " is outside " + min + "-" + max);
            }
            return (int) value;
        }, false, description);
    }

    public static Setting<Double> decimal(String key, String flag, String env, Double defaultValue, double min,
            String description) {
        return new Setting<>(key, flag, env, defaultValue, raw -> {
            double value;
            if (raw.isNumber()) {
                value = raw.asDouble();
            } else {
                String text = readText(raw);
                try {
                    value = Double.parseDouble(text.strip());
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("'" + text + "' is not a number");
                }
            }
            if (!(value >= min) || Double.isInfinite(value)) {
                throw new IllegalArgumentException(value + " is below the minimum " + min);
            }
            return value;
        }, false, description);
    }

    public static Setting<Boolean> bool(String key, String flag, String env, Boolean defaultValue, String description) {
        return new Setting<>(key, flag, env, defaultValue, raw -> {
            if (raw.isBoolean()) {
                return raw.booleanValue();
            }
            return switch (readText(raw).strip().toLowerCase(Locale.ROOT)) {
                case "true", "yes", "on", "1" -> true;
                case "false", "no", "off", "0" -> false;
                default -> throw new IllegalArgumentException("'" + raw.asText() + "' is not true or false");
            };
        }, false, description);
    }

    public static Setting<Duration> duration(String key, String flag, String env, Duration defaultValue, Duration min,
            String description) {
        return new Setting<>(key, flag, env, defaultValue, raw -> {
            Duration value = DurationText.parse(readText(raw));
            if (value.compareTo(min) < 0) {
                throw new IllegalArgumentException(DurationText.format(value) + " is shorter than the minimum "
                        + DurationText.format(min));
            }
            return value;
        }, false, description);
    }

    public static Setting<Path> path(String key, String flag, String env, String description) {
        return new Setting<>(key, flag, env, null, raw -> Path.of(readText(raw)), false, description);
    }

    /** A list: repeatable flag, comma-separated environment variable, YAML list (or a single string). */
    public static Setting<List<String>> list(String key, String flag, String env, String description) {
        return new Setting<>(key, flag, env, List.of(), raw -> {
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
        }, false, description);
    }

    private static String readText(JsonNode raw) {
        if (raw.isContainerNode() || raw.isNull()) {
            throw new IllegalArgumentException("expected a single value, got " + (raw.isArray() ? "a list" : raw.isNull() ? "null" : "a mapping"));
        }
        return raw.asText();
    }
}
