package dev.rendezvous.server.admin;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * One WebSocket session as the admin view shows it, read on its channel's event loop. The admin API writes
 * it as a JSON object with these names in snake case ({@code frames_in}), but for {@code connected_since}
 * and {@code remote_address}.
 *
 * @param id the client id, or null before admission
 * @param username the display name, or null
 * @param room the room, or null for the lobby
 * @param peer the lobby peer's id, or null
 * @param state the connection's phase: {@code awaiting_token}, {@code authenticating}, {@code registering},
 *     {@code admitted}, {@code closed}
 * @param connectedAtMillis when the upgrade completed (epoch millis)
 * @param framesIn text frames received
 * @param framesOut text frames written
 * @param bytesIn payload bytes received
 * @param bytesOut payload bytes written
 * @param remote the client's address as the server sees it
 * @param protocol {@link #V1} (the Rendezvous protocol) or {@link #PEERJS} (the PeerJS endpoint)
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record SessionSnapshot(
        String id,
        String username,
        String room,
        String peer,
        String state,
        @JsonProperty("connected_since") long connectedAtMillis,
        long framesIn,
        long framesOut,
        long bytesIn,
        long bytesOut,
        @JsonProperty("remote_address") String remote,
        String protocol) {

    public static final String V1 = "v1";
    public static final String PEERJS = "peerjs";
}
