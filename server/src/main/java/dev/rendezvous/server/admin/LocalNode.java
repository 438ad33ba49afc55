package dev.rendezvous.server.admin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * This node as the admin API reads it, each time it is asked.
 *
 * @param info this node's counters, read on an event loop
 * @param sessions this node's sessions, completed once each was read on its own event loop
 */
public record LocalNode(Supplier<NodeInfo> info, Supplier<CompletionStage<List<SessionSnapshot>>> sessions) {

    /** This node's view ({@link NodeView}): its counters as of now, with its sessions once they are read. */
    CompletionStage<ObjectNode> view() {
        NodeInfo now = info.get();
        return sessions.get().thenApply(list -> NodeView.of(now, list));
    }
}
