package dev.rendezvous.server.config;

/**
 * A configuration value the server cannot start with. The message names the setting (its YAML key,
 * e.g. {@code ice.turn_secret}) and the problem, so {@code rendezvous serve} can print it as is.
 */
public final class InvalidConfigException extends RuntimeException {

    private final String key;

    public InvalidConfigException(String key, String problem) {
        super(key + ": " + problem);
        this.key = key;
    }

    /** The setting's YAML key. */
    public String key() {
        return key;
    }
}
