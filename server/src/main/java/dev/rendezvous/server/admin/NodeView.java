package dev.rendezvous.server.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * One node's view — its counters and its sessions — as the JSON object a node publishes to the cluster and
 * the admin API merges: {@code {"node":{id,address,started,connections,sessions,peerjs_sessions},"sessions":[...]}},
 * every session carrying its {@code node} and its {@code protocol} ({@code v1} or {@code peerjs}). Stateless.
 */
final class NodeView {
    static final ObjectMapper JSON = new ObjectMapper();

    private NodeView() {}

    static ObjectNode of(NodeInfo node, List<SessionSnapshot> sessions) {
        ObjectNode view = JSON.createObjectNode();
        ObjectNode n = view.putObject("node");
        n.put("id", node.id());
        n.put("address", node.address());
        n.put("started", node.startedMillis());
        n.put("connections", node.connections());
        ArrayNode list = view.putArray("sessions");
        int admitted = 0;
        int peerJs = 0;
        for (SessionSnapshot s : sessions) {
            ObjectNode o = JSON.valueToTree(s); // the snapshot's members, under the names it declares
            o.put("node", node.id());
            list.add(o);
            if ("admitted".equals(s.state())) {
                admitted++;
                if (SessionSnapshot.PEERJS.equals(s.protocol())) {
                    peerJs++;
                }
            }
        }
        n.put("sessions", admitted);
        n.put("peerjs_sessions", peerJs);
        return view;
    }

    /** A view another node published; null when it is not one (a node of another version, a damaged value). */
    static ObjectNode parse(String json) {
        try {
            JsonNode n = JSON.readTree(json);
            return n instanceof ObjectNode o
                            && o.get("node") instanceof ObjectNode
                            && o.get("sessions") instanceof ArrayNode
                    ? o
                    : null;
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    static String write(JsonNode node) {
        try {
            return JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree of plain values always serializes", e);
        }
    }
}
