/**
 * The protocol-v1 wire contract shared by the server, the Java SDK and the tools: the sealed
 * {@link dev.rendezvous.protocol.Message} hierarchy (one record per message type), the error and close
 * code enums, and {@link dev.rendezvous.protocol.MessageCodec}, the JSON codec.
 *
 * <p>Threading: every type here is immutable (records) or stateless, and safe to use from any thread.
 * Relay payloads are Jackson {@code ObjectNode}s: treat them as read-only once built.
 */
package dev.rendezvous.protocol;
