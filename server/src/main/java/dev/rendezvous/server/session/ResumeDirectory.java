package dev.rendezvous.server.session;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The resumable sessions of one server (v1.1), by client id, from admission until they depart: where a
 * {@code resume} frame finds the session it names. One per server, shared by its connections.
 *
 * <p>Thread-safe (a concurrent map; each session's own state is guarded by its {@link ResumableLink}).
 */
public final class ResumeDirectory {
    private final ConcurrentMap<String, ResumableLink> byId = new ConcurrentHashMap<>();

    void put(String id, ResumableLink link) {
        byId.put(id, link);
    }

    ResumableLink find(String id) {
        return byId.get(id);
    }

    void remove(String id, ResumableLink link) {
        byId.remove(id, link);
    }

    /** Resumable sessions held now, attached or detached (tests and leak checks). */
    public int size() {
        return byId.size();
    }

    /** Sessions detached now, within their grace. */
    public int detached() {
        int n = 0;
        for (ResumableLink l : byId.values()) {
            if (l.isDetached()) {
                n++;
            }
        }
        return n;
    }

    /**
     * The server is stopping: every detached session departs now (its connection is gone, so the server's
     * close of every connection never reaches it). Call after {@code Hub.goingAway()}.
     */
    public void shutdown() {
        List<ResumableLink> all = new ArrayList<>(byId.values());
        for (ResumableLink l : all) {
            l.endIfDetached();
        }
    }
}
