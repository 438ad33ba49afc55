package dev.rendezvous.server.session;

import dev.rendezvous.server.hub.RemoteResume;
import dev.rendezvous.server.hub.RemoteResume.Answer;
import io.netty.util.concurrent.EventExecutorGroup;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node as the owner of resumable sessions that clients resume on other nodes (v1.1 in a cluster,
 * see {@link RemoteResume}): checks a resume exactly as a local one ({@link ResumableLink#resume}), and on
 * success carries the session on a {@link Connection} whose transport is an {@link OwnerTunnel} to the
 * client's node. Given to the hub with {@code Hub.serveResumes}.
 *
 * <p>Thread-safe: {@link #resume} runs on the backplane's thread; the tunnels' connections each on one
 * event loop of {@code loops}.
 */
public final class ResumeOwner implements RemoteResume.Owner {
    private static final Logger log = LoggerFactory.getLogger(Connection.class); // one logger for a connection's lines

    private final ConnectionSettings settings;
    private final EventExecutorGroup loops;
    private final Set<OwnerTunnel> open = ConcurrentHashMap.newKeySet();

    public ResumeOwner(ConnectionSettings settings, EventExecutorGroup loops) {
        this.settings = settings;
        this.loops = loops;
    }

    @Override
    public Answer resume(String id, byte[] token, long received, String clientNode, RemoteResume.Downstream toClient) {
        ResumableLink session = settings.resumes().find(id);
        if (session == null) {
            return new Answer.Failed("unknown_id", "no resumable session has id " + id + " (unknown, or it has ended)");
        }
        OwnerTunnel tunnel = new OwnerTunnel(toClient, loops.next(), this);
        ConnectRequest request =
                new ConnectRequest(session.session().room(), null, null, "node " + clientNode, true, true);
        Connection c = new Connection(settings, tunnel, tunnel, request);
        tunnel.connection(c);
        c.openTunnelEnd();
        switch (session.resume(token, received, tunnel, c)) {
            case ResumableLink.Outcome.Failed f -> {
                return new Answer.Failed(f.reason(), f.sentence());
            }
            case ResumableLink.Outcome.Resumed ok -> {
                open.add(tunnel);
                tunnel.execute(() -> c.resumed(session)); // before any frame the client sends: same thread, in order
                if (ok.superseded() != null) {
                    ok.superseded().supersededFromAnyThread();
                }
                log.info("resume client={} replayed={} on=node {} (tunnel)", id, ok.replayed(), clientNode);
                return new Answer.Resumed(ok.replayed(), tunnel);
            }
        }
    }

    void closed(OwnerTunnel tunnel) {
        open.remove(tunnel);
    }

    /** Sessions carried for clients on other nodes now. */
    public int tunnels() {
        return open.size();
    }

    /** The server is stopping: each tunnel's connection closes with 1001, as a socket's would. */
    public void shutdown() {
        List<OwnerTunnel> all = new ArrayList<>(open);
        for (OwnerTunnel t : all) {
            t.shutdown();
        }
    }
}
