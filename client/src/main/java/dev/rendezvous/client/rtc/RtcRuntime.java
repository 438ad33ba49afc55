package dev.rendezvous.client.rtc;

import dev.onvoid.webrtc.PeerConnectionFactory;
import dev.onvoid.webrtc.PeerConnectionObserver;
import dev.onvoid.webrtc.RTCConfiguration;
import dev.onvoid.webrtc.RTCPeerConnection;
import dev.onvoid.webrtc.media.audio.HeadlessAudioDeviceModule;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One libwebrtc {@link PeerConnectionFactory} for many sessions, disposed exactly once, after every
 * session made from it is closed. The JVM cannot exit while it is open (webrtc-java's native thread is
 * not a daemon), so the owner must {@link #close()} it.
 *
 * <p>Disposing the factory while a peer connection is still open crashes the JVM (SIGSEGV), so it never
 * happens: registering a session, creating a connection and closing the runtime all take one lock, no
 * connection can be created once {@link #close()} has begun, and if a session does not close in time the
 * factory is disposed only when that session finally unregisters (until then the JVM may not exit, but it
 * does not crash).
 *
 * <p>Headless: the default audio device module aborts the JVM on a machine without sound, so the factory
 * gets webrtc-java's {@link HeadlessAudioDeviceModule}. Thread-safe.
 */
public final class RtcRuntime implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RtcRuntime.class);
    private static final Duration SESSION_CLOSE_WAIT = Duration.ofSeconds(10);
    private static volatile boolean everCreated;

    private final HeadlessAudioDeviceModule audio;
    private final PeerConnectionFactory factory;
    private final Duration sessionCloseWait;
    private final Object lock = new Object();
    // All guarded by lock.
    private final Set<PeerSession> sessions = new HashSet<>();
    private boolean closed;
    private boolean disposeWhenEmpty; // close() gave up waiting: the last session to leave disposes
    private boolean disposed;

    private RtcRuntime(Duration sessionCloseWait) {
        everCreated = true;
        this.sessionCloseWait = sessionCloseWait;
        audio = new HeadlessAudioDeviceModule();
        factory = new PeerConnectionFactory(audio);
    }

    /** Loads libwebrtc (first use unpacks it to {@code java.io.tmpdir}) and creates the factory. */
    public static RtcRuntime create() {
        return new RtcRuntime(SESSION_CLOSE_WAIT);
    }

    /**
     * Whether this process ever loaded libwebrtc through a runtime (then webrtc-java's native threads may
     * print to stdout while the JVM exits, see the CLI's {@code NativeExitNoise}).
     */
    public static boolean everCreated() {
        return everCreated;
    }

    /** For tests: how long {@link #close()} waits for each session before it leaves the disposal to it. */
    static RtcRuntime create(Duration sessionCloseWait) {
        return new RtcRuntime(sessionCloseWait);
    }

    /** Creates a connection, unless the runtime is closing or closed (then it throws). */
    RTCPeerConnection createPeerConnection(RTCConfiguration configuration, PeerConnectionObserver observer) {
        synchronized (lock) {
            if (closed) {
                throw new IllegalStateException("RtcRuntime is closed");
            }
            return factory.createPeerConnection(configuration, observer);
        }
    }

    void register(PeerSession session) {
        synchronized (lock) {
            if (closed) {
                throw new IllegalStateException("RtcRuntime is closed");
            }
            sessions.add(session);
        }
    }

    /** Called by a session once its connection is closed; the last straggler after close() disposes. */
    void unregister(PeerSession session) {
        synchronized (lock) {
            sessions.remove(session);
            if (disposeWhenEmpty && sessions.isEmpty()) {
                log.info("the last session closed late; disposing the libwebrtc factory now");
                dispose();
            }
        }
    }

    public boolean isClosed() {
        synchronized (lock) {
            return closed;
        }
    }

    /** Whether the factory has been disposed (false while a session that would not close is still open). */
    public boolean isDisposed() {
        synchronized (lock) {
            return disposed;
        }
    }

    /**
     * Closes every session still open (in the safe order), then disposes the factory. Idempotent; the
     * factory is disposed exactly once, and never while a session is still open: a session that does not
     * close in time is logged as an error and the disposal waits until it does.
     */
    @Override
    public void close() {
        List<PeerSession> open;
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true; // from here on no connection can be created
            open = List.copyOf(sessions);
        }
        // Outside the lock: a closing session unregisters, which takes it.
        for (PeerSession session : open) {
            session.close(sessionCloseWait);
        }
        synchronized (lock) {
            if (sessions.isEmpty()) {
                dispose();
            } else {
                disposeWhenEmpty = true;
                log.error(
                        "{} session(s) did not close within {}: the libwebrtc factory stays until they do "
                                + "(disposing it now would crash the JVM): {}",
                        sessions.size(),
                        sessionCloseWait,
                        sessions);
            }
        }
    }

    private void dispose() {
        // Caller holds lock.
        if (disposed) {
            return;
        }
        disposed = true;
        factory.dispose();
        audio.dispose();
    }
}
