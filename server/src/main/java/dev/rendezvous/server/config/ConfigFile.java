package dev.rendezvous.server.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Reads a YAML configuration file into a flat map from dotted key ({@code ice.turn_secret}) to value
 * (a scalar or a list). Nested mappings are flattened; lists are values. A key no setting knows is an
 * error that names it (and the closest known key), so a typo never silently falls back to a default.
 */
public final class ConfigFile {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private ConfigFile() {}

    /** Reads {@code file}; {@code knownKeys} are the dotted keys of every setting. */
    public static Map<String, JsonNode> read(Path file, Set<String> knownKeys) {
        if (!Files.isRegularFile(file)) {
            throw new InvalidConfigException("config", file + " does not exist or is not a file");
        }
        JsonNode root;
        try {
            root = YAML.readTree(Files.readString(file));
        } catch (JsonProcessingException e) {
            String where =
                    e.getLocation() == null ? "" : " line " + e.getLocation().getLineNr();
            throw new InvalidConfigException("config", file + where + " is not valid YAML: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new InvalidConfigException("config", "cannot read " + file + ": " + e.getMessage());
        }
        Map<String, JsonNode> flat = new LinkedHashMap<>();
        if (root == null || root.isMissingNode() || root.isNull()) {
            return flat; // an empty file configures nothing
        }
        if (!root.isObject()) {
            throw new InvalidConfigException("config", file + " must hold a mapping of settings at the top level");
        }
        flatten("", (ObjectNode) root, knownKeys, flat);
        return flat;
    }

    private static void flatten(String prefix, ObjectNode node, Set<String> knownKeys, Map<String, JsonNode> out) {
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            String key = prefix + field.getKey();
            JsonNode value = field.getValue();
            if (value.isObject() && !knownKeys.contains(key)) {
                if (knownKeys.stream().noneMatch(k -> k.startsWith(key + "."))) {
                    throw unknown(key, knownKeys);
                }
                flatten(key + ".", (ObjectNode) value, knownKeys, out);
            } else if (!knownKeys.contains(key)) {
                throw unknown(key, knownKeys);
            } else {
                out.put(key, value);
            }
        }
    }

    private static InvalidConfigException unknown(String key, Collection<String> knownKeys) {
        String closest = Suggestions.closest(key, knownKeys)
                .map(k -> " (did you mean " + k + "?)")
                .orElse("");
        return new InvalidConfigException(key, "unknown setting" + closest);
    }
}
