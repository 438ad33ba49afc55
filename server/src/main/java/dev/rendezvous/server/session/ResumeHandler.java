package dev.rendezvous.server.session;

import dev.rendezvous.protocol.ErrorCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code resume} exchange of a {@code resume=1} connection (v1.1): the server sends nothing first and
 * waits, up to the auth timeout, for {@code resume}; success hands the session to this connection
 * ({@code resumed}, then the replay — sent by {@link ResumableLink}); failure is {@code resume_failed} and a
 * fresh admission with the URL's parameters.
 *
 * <p>Stateless; runs on the connection's thread. The token is compared by {@link ResumableLink} in constant
 * time and never logged.
 */
final class ResumeHandler {
    private static final Logger log = LoggerFactory.getLogger(Connection.class); // one logger for a connection's lines

    private ResumeHandler() {}

    static void open(Connection c) {
        c.phase(Connection.Phase.AWAITING_RESUME);
        c.schedule(() -> timedOut(c), c.settings.authTimeout().toNanos());
    }

    private static void timedOut(Connection c) {
        if (c.phase() == Connection.Phase.AWAITING_RESUME) {
            c.timerFired();
            if (c.tunnel != null) {
                c.tunnel.timedOut(); // asked another node, which did not answer
                return;
            }
            AdmissionHandler.refuse(
                    c,
                    ErrorCode.AUTH_TIMEOUT,
                    "no resume message within " + c.settings.authTimeout().toMillis() + " ms",
                    null);
        }
    }

    /** The first frame of the connection. */
    static void onFrame(Connection c, byte[] utf8, int length) {
        switch (ResumeFrames.read(utf8, length)) {
            case ResumeFrames.Request.NotResume n -> notAResume(c, n.why(), n.type());
            case ResumeFrames.Request.Resume r -> resume(c, r);
        }
    }

    static void notAResume(Connection c, String why, String ref) {
        fail(c, "not_a_resume", why, ref);
    }

    private static void resume(Connection c, ResumeFrames.Request.Resume r) {
        ResumableLink session = c.settings.resumes().find(r.id());
        if (session == null) {
            ClientTunnel.ask(c, r); // held by another node of a cluster, or unknown
            return;
        }
        switch (session.resume(r.token(), r.received(), c.wire, c)) {
            case ResumableLink.Outcome.Failed f -> fail(c, f.reason(), f.sentence(), "resume");
            case ResumableLink.Outcome.Resumed ok -> {
                c.cancelTimer();
                c.resumed(session);
                c.settings.observer().resumeSucceeded(ok.replayed());
                if (ok.superseded() != null) {
                    ok.superseded().supersededFromAnyThread();
                }
                log.info("resume client={} scope={} replayed={} remote={}", r.id(), c.scope(), ok.replayed(), c.remote);
            }
        }
    }

    static void unknown(Connection c, String id) {
        fail(c, "unknown_id", "no resumable session has id " + id + " (unknown, or it has ended)", "resume");
    }

    /** {@code resume_failed}, then the connection goes on as a new resumable one. */
    static void fail(Connection c, String reason, String sentence, String ref) {
        c.cancelTimer();
        c.settings.observer().resumeFailed(reason);
        c.sendError(ErrorCode.RESUME_FAILED, sentence, ref);
        AdmissionHandler.openAfterFailedResume(c);
    }
}
