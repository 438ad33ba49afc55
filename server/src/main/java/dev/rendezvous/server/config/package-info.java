/**
 * Server configuration from the outside world: {@link dev.rendezvous.server.config.Setting}s, each
 * declared once with its three names (YAML key, flag, environment variable), default and help text, and
 * optionally the {@link dev.rendezvous.server.ServerConfig.Builder} method it sets; resolved by
 * {@link dev.rendezvous.server.config.ConfigLayers} with precedence flags > environment > file >
 * defaults; the YAML file reader; duration text; TLS from PEM files. Every problem is an
 * {@link dev.rendezvous.server.config.InvalidConfigException} naming the setting.
 *
 * <p>Threading: used once, on the thread that starts the server; everything here is immutable.
 */
package dev.rendezvous.server.config;
