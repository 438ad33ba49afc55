package dev.rendezvous.client.rtc;

import dev.onvoid.webrtc.PeerConnectionFactory;
import dev.onvoid.webrtc.media.audio.HeadlessAudioDeviceModule;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One libwebrtc {@link PeerConnectionFactory} for many sessions, disposed exactly once, after every
 * session made from it is closed. The JVM cannot exit while it is open (webrtc-java's native thread is
 * not a daemon), so the owner must {@link #close()} it.
 *
 * <p>Headless: the default audio device module aborts the JVM on a machine without sound, so the factory
 * gets webrtc-java's {@link HeadlessAudioDeviceModule}. Thread-safe.
 */
public final class RtcRuntime implements AutoCloseable {
    private final HeadlessAudioDeviceModule audio;
    private final PeerConnectionFactory factory;
    private final Set<PeerSession> sessions = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean closed = new AtomicBoolean();

    private RtcRuntime() {
        audio = new HeadlessAudioDeviceModule();
        factory = new PeerConnectionFactory(audio);
    }

    /** Loads libwebrtc (first use unpacks it to {@code java.io.tmpdir}) and creates the factory. */
    public static RtcRuntime create() {
        return new RtcRuntime();
    }

    PeerConnectionFactory factory() {
        if (closed.get()) {
            throw new IllegalStateException("RtcRuntime is closed");
        }
        return factory;
    }

    void register(PeerSession session) {
        if (closed.get()) {
            throw new IllegalStateException("RtcRuntime is closed");
        }
        sessions.add(session);
    }

    void unregister(PeerSession session) {
        sessions.remove(session);
    }

    public boolean isClosed() {
        return closed.get();
    }

    /**
     * Closes every session still open (in the safe order), then disposes the factory. Idempotent; the
     * factory is disposed exactly once. Disposing it with open connections crashes libwebrtc, hence the order.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        for (PeerSession session : Set.copyOf(sessions)) {
            session.close();
        }
        factory.dispose();
        audio.dispose();
    }
}
