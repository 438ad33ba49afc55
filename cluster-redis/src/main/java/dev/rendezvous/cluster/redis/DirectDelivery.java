package dev.rendezvous.cluster.redis;

import dev.rendezvous.cluster.redis.BackplaneMessage.Arrived;
import dev.rendezvous.cluster.redis.BackplaneMessage.Direct;
import dev.rendezvous.cluster.redis.BackplaneMessage.TakenOver;
import dev.rendezvous.protocol.CloseCode;
import dev.rendezvous.protocol.ErrorCode;
import dev.rendezvous.server.hub.Hub.Delivery;
import dev.rendezvous.server.hub.Refusal;
import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivery by id across nodes ({@code Hub.deliver}, {@code watch}, {@code onArrival}: the PeerJS endpoint's
 * relay and offline queue). A receiver on this node gets the frame directly; else {@code deliver.lua} looks up
 * the node holding the id and publishes a {@link Direct} to it, in one round trip. A node keeping messages for
 * an id held nowhere watches it ({@code watch.lua}); when a client of the scope registers the id,
 * {@code arrive.lua} tells each watching node ({@link Arrived}). A same-token takeover from another node
 * ({@code register.lua}) closes this node's holder ({@link TakenOver}).
 *
 * <p>{@link #deliver} and {@link #watch} run on event loops (one connection: one sender's deliveries keep
 * their order); the {@code on…} methods and {@link #registered} on the backplane loop.
 */
final class DirectDelivery extends NodeJob {
    private static final Logger log = LoggerFactory.getLogger(DirectDelivery.class);

    private final ConcurrentMap<String, Consumer<String>> arrivals = new ConcurrentHashMap<>();

    DirectDelivery(NodeParts parts) {
        super(parts);
    }

    /** See {@code Hub.deliver}; takes ownership of {@code frame}. */
    CompletionStage<Delivery> deliver(String scope, String to, ByteBuf frame) {
        try {
            LocalClient local = clients.get(to);
            if (local != null && local.admitted && scope.equals(local.session.room())) {
                local.session.link().send(frame.retain());
                return CompletableFuture.completedFuture(Delivery.DELIVERED);
            }
            if (!backplane.up()) {
                return CompletableFuture.completedFuture(Delivery.UNAVAILABLE);
            }
            // The frame is UTF-8 JSON: as a script argument it goes back to the very same bytes.
            String message = new String(BackplaneCodec.encode(new Direct(to, scope, frame)), StandardCharsets.UTF_8);
            return backplane
                    .eval(Script.DELIVER, to, scope, message)
                    .handle((r, e) -> e != null
                            ? Delivery.UNAVAILABLE
                            : BackplaneCodec.number(r) == 1 ? Delivery.DELIVERED : Delivery.ABSENT);
        } finally {
            frame.release();
        }
    }

    /** See {@code Hub.watch}. */
    CompletionStage<Boolean> watch(String scope, String to, Duration ttl) {
        if (!backplane.up()) {
            return CompletableFuture.completedFuture(false);
        }
        return backplane
                .eval(Script.WATCH, node, to, scope, NodeLiveness.millis(ttl))
                .handle((r, e) -> e == null && BackplaneCodec.number(r) == 1);
    }

    void onArrival(String scope, Consumer<String> listener) {
        arrivals.put(scope, listener);
    }

    /** On the loop: {@code client} was registered; tells the nodes watching its id, if its scope is watched at all. */
    void registered(LocalClient client) {
        String scope = client.session.room();
        if (scope != null && arrivals.containsKey(scope) && backplane.up()) {
            backplane.eval(Script.ARRIVE, node, client.id(), scope).whenComplete((r, e) -> {
                if (e != null) {
                    log.info("arrival of id={} not announced: {}", client.id(), e.toString());
                }
            });
        }
    }

    /** On the loop: a frame for one of our clients, by id. */
    void onDirect(Direct message) {
        LocalClient receiver = clients.get(message.target());
        if (receiver != null && message.scope().equals(receiver.session.room())) {
            receiver.session.link().send(message.frame());
        } else {
            message.frame().release(); // it left meanwhile (see docs/peerjs.md: the sender hears nothing)
        }
    }

    /**
     * On the loop: a client with the same takeover key took {@code id} on another node (a PeerJS same-token
     * takeover): our session of it closes as a replaced one; its departure leaves the id to the new holder.
     */
    void onTakenOver(TakenOver message) {
        LocalClient holder = clients.get(message.id());
        if (holder != null && message.scope().equals(holder.session.room())) {
            log.info("id={} taken over on another node", message.id());
            holder.session.evict(new Refusal(
                    ErrorCode.ID_TAKEN,
                    "taken over by a connection with the same id and token on another node",
                    CloseCode.RESUMED_ELSEWHERE));
        }
    }

    /** On the loop: an id we watched came up on another node. */
    void onArrived(Arrived message) {
        Consumer<String> listener = arrivals.get(message.scope());
        if (listener != null) {
            listener.accept(message.id());
        }
    }
}
