package dev.rendezvous.server.session;

import dev.rendezvous.protocol.CloseCode;
import dev.rendezvous.protocol.ErrorCode;
import dev.rendezvous.protocol.Message;
import dev.rendezvous.protocol.MessageType;
import dev.rendezvous.server.auth.AuthResult;
import dev.rendezvous.server.hub.ControlFrames;
import dev.rendezvous.server.hub.Session;
import dev.rendezvous.server.ice.IceServerSource;
import dev.rendezvous.server.logging.LogBudget;
import dev.rendezvous.server.logging.LogText;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Admission of one connection: the {@code auth_token} exchange when auth is on (the token is verified off
 * the event loop), then the claim of the client id in the hub's directory, then {@code auth_success} and
 * {@code your_id}. Every refusal before admission is {@code auth_failed} (or {@code auth_timeout},
 * {@code room_forbidden}) and close 4001; a taken id is {@code id_taken} and 4002.
 *
 * <p>Stateless: the phase, timer and session are the {@link Connection}'s; runs on its thread (the
 * verdict and a cluster's registration answer are brought back to it).
 */
final class AdmissionHandler {
    private static final Logger log = LoggerFactory.getLogger(Connection.class); // one logger for a connection's lines

    private AdmissionHandler() {}

    /** The connection opened: admit at once when auth is off, else ask for a token before the deadline. */
    static void open(Connection c) {
        if (!c.settings.authRequired()) {
            admit(c, c.requestedId, c.queryUsername, false);
            return;
        }
        c.phase(Connection.Phase.AWAITING_TOKEN);
        c.link.send(ControlFrames.of(new Message.AuthRequired()));
        c.schedule(() -> authTimedOut(c), c.settings.authTimeout().toNanos());
    }

    /** A {@code resume} failed (v1.1): the connection is admitted as a new one, with its URL's parameters. */
    static void openAfterFailedResume(Connection c) {
        open(c);
    }

    /** A frame before admission: only a well-formed {@code auth_token} is welcome. */
    static void onFrame(Connection c, Inbound frame) {
        // protocol-v1: every refusal before admission is auth_failed, then 4001; the message says what was wrong.
        switch (frame) {
            case Inbound.AuthToken auth -> authenticate(c, auth);
            case Inbound.Malformed m
            when m.type() == MessageType.AUTH_TOKEN -> refuse(c, ErrorCode.AUTH_FAILED, m.reason(), Inbound.ref(m));
            case Inbound.Invalid i ->
                refuse(c, ErrorCode.AUTH_FAILED, "expected an auth_token message: " + i.reason(), null);
            case Inbound.Malformed m -> notYet(c, m);
            case Inbound.Unknown u -> notYet(c, u);
            case Inbound.Relay r -> notYet(c, r);
            case Inbound.RelayTo r -> notYet(c, r);
            case Inbound.PairRequest p -> notYet(c, p);
            case Inbound.Unpair u -> notYet(c, u);
            case Inbound.Ping p -> notYet(c, p);
            case Inbound.Pong p -> notYet(c, p);
        }
    }

    private static void notYet(Connection c, Inbound frame) {
        refuse(c, ErrorCode.AUTH_FAILED, "authenticate first: send auth_token", Inbound.ref(frame));
    }

    private static void authenticate(Connection c, Inbound.AuthToken auth) {
        String token = auth.token();
        String wantedId = auth.clientId().orElse(c.requestedId); // null: none asked for
        c.phase(Connection.Phase.AUTHENTICATING);
        try {
            c.settings.authExecutor().execute(() -> {
                AuthResult result = verify(c, token);
                try {
                    c.transport.execute(() -> onVerdict(c, result, wantedId));
                } catch (RejectedExecutionException e) {
                    // the event loops stopped (server shutdown) while the token was checked: the connection is gone
                    log.debug("verdict dropped remote={}: the server is shutting down", c.remote);
                }
            });
        } catch (RejectedExecutionException e) {
            refuse(c, ErrorCode.AUTH_FAILED, "the server is shutting down", null);
        }
    }

    private static AuthResult verify(Connection c, String token) {
        try {
            return c.settings.authenticator().authenticate(token);
        } catch (RuntimeException e) { // the contract says never, but a bug must not leave the client hanging
            log.warn("authenticator failed", e);
            return new AuthResult.Refused("the token could not be verified");
        }
    }

    private static void onVerdict(Connection c, AuthResult result, String wantedId) {
        if (c.phase() != Connection.Phase.AUTHENTICATING) {
            return; // closed (timeout, shutdown) meanwhile
        }
        switch (result) {
            case AuthResult.Refused refused -> refuse(c, ErrorCode.AUTH_FAILED, refused.reason(), null);
            case AuthResult.Admitted admitted -> {
                if (c.room != null && !admitted.mayJoin(c.room)) {
                    refuse(c, ErrorCode.ROOM_FORBIDDEN, "this token may not join room " + c.room, null);
                    return;
                }
                // protocol v1.1 "Id bound to a token": the rule is AuthResult.Admitted's, shared with PeerJS
                String id = wantedId != null ? wantedId : admitted.boundId().orElse(null);
                if (id != null && !admitted.mayTake(id)) {
                    refuse(c, ErrorCode.AUTH_FAILED, "this token is bound to another client id", null);
                    return;
                }
                if (id != null && !Connection.NAME.matcher(id).matches()) { // a subject that is no valid id
                    refuse(c, ErrorCode.AUTH_FAILED, "the token's subject is not a valid client id", null);
                    return;
                }
                c.tokenExpiresAt = admitted.expiresAt().orElse(null);
                admit(c, id, admitted.user(), true); // rooms claim checked above
            }
        }
    }

    private static void authTimedOut(Connection c) {
        if (c.phase() == Connection.Phase.AWAITING_TOKEN || c.phase() == Connection.Phase.AUTHENTICATING) {
            refuse(
                    c,
                    ErrorCode.AUTH_TIMEOUT,
                    "no auth_token within " + c.settings.authTimeout().toMillis() + " ms",
                    null);
        }
    }

    /** Sends the error (when {@code message} is not null) and closes 4001. */
    static void refuse(Connection c, ErrorCode code, String message, String ref) {
        if (message != null) {
            c.sendError(code, message, ref);
        }
        c.settings.observer().authFailed(code);
        if (LogBudget.CLIENTS.tryLine()) {
            log.info(
                    "refuse remote={} scope={} code={} reason={}",
                    c.remote,
                    c.scope(),
                    code.wireName(),
                    LogText.of(message));
        }
        c.closeWith(CloseCode.AUTH_FAILED, code.wireName());
    }

    private static void admit(Connection c, String wantedId, String username, boolean authenticated) {
        c.cancelTimer();
        String id = wantedId != null ? wantedId : ClientIds.next();
        Session candidate;
        // v1.1: the session outlives this connection. A failed resume goes on as a new resumable connection.
        if ((c.resumableAsked || c.resumeAsked) && c.settings.resumeOn()) {
            ResumableLink carrier = new ResumableLink(c.settings, c.wire, c);
            candidate = new Session(id, username, c.room, carrier, carrier::evict);
            carrier.bind(candidate);
        } else {
            candidate = new Session(id, username, c.room, c.wire, c::evictedFromAnyThread);
        }
        c.phase(Connection.Phase.REGISTERING);
        CompletionStage<Boolean> registration = c.settings.hub().register(candidate);
        if (!registration.toCompletableFuture().isDone()) {
            // A backplane that never answers must not hold the connection forever: no other timer runs now.
            c.schedule(() -> registrationTimedOut(c), c.settings.authTimeout().toNanos());
        }
        c.whenDone(
                registration, (registered, failure) -> onRegistered(c, candidate, authenticated, registered, failure));
    }

    private static void registrationTimedOut(Connection c) {
        if (c.phase() == Connection.Phase.REGISTERING) {
            c.timerFired();
            c.sendError(
                    ErrorCode.CLUSTER_UNAVAILABLE,
                    "the id directory did not answer within "
                            + c.settings.authTimeout().toMillis() + " ms; try again",
                    null);
            c.closeWith(CloseCode.INTERNAL_ERROR, "directory timeout");
        }
    }

    private static void onRegistered(
            Connection c, Session candidate, boolean authenticated, Boolean registered, Throwable failure) {
        if (c.phase() != Connection.Phase.REGISTERING) {
            if (Boolean.TRUE.equals(registered)) {
                c.settings.hub().depart(candidate); // the connection ended while the id was being claimed
            }
            return;
        }
        c.cancelTimer(); // the registration deadline
        String id = candidate.id();
        if (failure != null) {
            c.sendError(ErrorCode.CLUSTER_UNAVAILABLE, "the id directory cannot be reached; try again", null);
            c.closeWith(CloseCode.INTERNAL_ERROR, "directory unavailable");
            return;
        }
        if (!registered) {
            c.sendError(ErrorCode.ID_TAKEN, "client id " + id + " is already in use", null);
            if (LogBudget.CLIENTS.tryLine()) {
                log.info("refuse remote={} client={} code=id_taken", c.remote, LogText.of(id));
            }
            c.closeWith(CloseCode.ID_TAKEN, "id taken");
            return;
        }
        c.admitted(candidate);
        if (authenticated) {
            c.link.send(ControlFrames.of(new Message.AuthSuccess(candidate.username(), id)));
        }
        Message.YourId yourId = new Message.YourId(
                id,
                IceServerSource.serversFor(c.settings.iceServers(), id, c.tokenExpiresAt),
                c.settings.pingInterval().toMillis(),
                c.settings.pingTimeout().toMillis());
        if (candidate.link() instanceof ResumableLink carrier) {
            carrier.admit(yourId);
            c.carriedBy(carrier);
        } else {
            c.link.send(ControlFrames.of(yourId));
        }
        if (log.isInfoEnabled()) {
            log.info(
                    "admit client={} scope={} user={} remote={}",
                    LogText.of(id),
                    c.scope(),
                    LogText.of(candidate.username()),
                    c.remote);
        }
        RoomHandler.enter(c, candidate);
        KeepaliveHandler.start(c);
    }
}
