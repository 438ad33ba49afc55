package dev.rendezvous.client.rtc;

import dev.onvoid.webrtc.RTCDataChannel;
import dev.onvoid.webrtc.RTCDataChannelBuffer;
import dev.onvoid.webrtc.RTCDataChannelObserver;
import dev.onvoid.webrtc.RTCDataChannelState;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One data channel to one remote peer: the {@code chat} channel every session has, or another one opened
 * by either side (for instance one per file transfer), ordered or not.
 *
 * <p><b>Lifecycle:</b> {@link ChannelState#CONNECTING} (sends wait in a bounded queue) →
 * {@link ChannelState#OPEN} ({@link ChannelListener#onOpen}; the queue goes out in order) →
 * {@link ChannelState#CLOSING} → {@link ChannelState#CLOSED} ({@link ChannelListener#onClosed}, once,
 * last). {@link #close()} is graceful: libwebrtc sends what it already buffers before it closes the
 * stream; what still waits in this channel's queue is refused. When the connection closes, every channel
 * closes with it.
 *
 * <p><b>Safe send:</b> {@code send} never throws and never drops silently. It answers SENT (handed to
 * libwebrtc), QUEUED (waiting for the channel to open, or for flow control; {@link Delivery#settled()}
 * says how it ends) or REFUSED with a reason; bounds come from the session's {@link SendPolicy}. Flow
 * control pauses sending above the policy's high mark of bytes buffered in libwebrtc and resumes at the
 * low mark, so a bulk sender that waits for each QUEUED delivery to settle runs at the channel's speed.
 * The resume is driven by webrtc-java's {@code onBufferedAmountChange} event where it calls it; webrtc-java
 * 0.14.0 never does (its native observer does not forward the event, checked in its source), so there a
 * timer asks for the buffered amount every {@link SendPolicy#pausedPollNanos()} while, and only while, the
 * channel is paused.
 *
 * <p><b>Binary without copies:</b> {@link #send(byte[])} hands the array itself to webrtc-java, and
 * {@link #send(ByteBuffer)} a direct buffer (or its slice) itself; only a heap buffer that is a part of its
 * array is copied once (webrtc-java 0.14.0 sends whole arrays). libwebrtc copies the bytes during its
 * send, so once a delivery is SENT the caller may reuse the buffer; while it is QUEUED the queue still
 * reads it: do not change it until {@link Delivery#settled()} completes.
 *
 * <p><b>Threading:</b> {@code send}, {@link #state()}, {@link #bufferedAmount()} and {@link #close()} are
 * safe from any thread. Listener methods run on the owning peer's event thread.
 */
public final class DataChannel {
    /** Received items delivered per turn of the event thread before it serves others. */
    static final int DRAIN_BATCH = 256;

    private static final Logger log = LoggerFactory.getLogger(DataChannel.class);

    private final PeerSession session;
    private final EventThread events;
    private final String label;
    private final ChannelOptions options;
    private final OutboundQueue outbound;
    private final AtomicBoolean pumpScheduled = new AtomicBoolean();
    // Received messages on their way to the event thread: one hand-over per wakeup, not per message.
    private final ConcurrentLinkedQueue<Inbound> inbox = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean inboxScheduled = new AtomicBoolean();
    private volatile ChannelListener listener;
    private volatile ChannelState state = ChannelState.CONNECTING;
    private volatile boolean bufferEventsSeen; // webrtc-java forwards onBufferedAmountChange (0.15.0 and later)

    // Confined to the event thread.
    private RTCDataChannel rtc;
    private boolean released;
    private boolean opened;

    /** A channel of {@code session}: it lives on the session's event thread, under its send policy. */
    DataChannel(PeerSession session, String label, ChannelOptions options, ChannelListener listener) {
        this.session = session;
        this.events = session.events();
        this.label = label;
        this.options = options;
        this.listener = listener;
        this.outbound = new OutboundQueue(session.config().sendPolicy(), System::nanoTime, this::refused);
    }

    /** The remote peer's id. */
    public String peerId() {
        return session.remoteId();
    }

    public String label() {
        return label;
    }

    public ChannelOptions options() {
        return options;
    }

    public ChannelState state() {
        return state;
    }

    public boolean isOpen() {
        return state == ChannelState.OPEN;
    }

    /** Sends {@code text} as one text message (UTF-8). Never throws. */
    public Delivery send(String text) {
        return queued(outbound.offer(text));
    }

    /** Sends {@code data} as one binary message; the array itself goes to webrtc-java (no copy). Never throws. */
    public Delivery send(byte[] data) {
        return queued(outbound.offer(data == null ? null : ByteBuffer.wrap(data)));
    }

    /**
     * Sends the bytes between {@code data}'s position and limit as one binary message; the position does
     * not move. Never throws.
     */
    public Delivery send(ByteBuffer data) {
        return queued(outbound.offer(data));
    }

    /**
     * Bytes sent or queued that are not on the wire yet: in this channel's queue plus in libwebrtc's
     * buffer. After close, what libwebrtc still held at that moment (it will never be sent). Zero means
     * everything sent so far has left.
     */
    public long bufferedAmount() {
        return outbound.unsentBytes();
    }

    /** Messages waiting in this channel's queue (not yet handed to libwebrtc). */
    public int queuedMessages() {
        return outbound.queuedMessages();
    }

    /** Closes gracefully (see the class comment). Idempotent; returns at once. */
    public void close() {
        if (!events.execute(this::closeGracefully)) {
            outbound.close();
        }
    }

    @Override
    public String toString() {
        return "DataChannel[" + peerId() + "/" + label + ", " + state + "]";
    }

    // ---- on the event thread -----------------------------------------------------------------------

    /** The chat channel's listener may be set after creation (an answerer learns it with the session). */
    void listener(ChannelListener newListener) {
        listener = newListener;
    }

    boolean bound() {
        return rtc != null || released;
    }

    /** Takes the libwebrtc channel this handle stands for. */
    void bind(RTCDataChannel channel) {
        if (released) {
            release(channel);
            return;
        }
        rtc = channel;
        channel.registerObserver(new Observer(channel));
        // The channel may have opened before the observer was registered.
        stateChanged(EngineStates.of(channel.getState()));
    }

    private void stateChanged(ChannelState newState) {
        if (released || rtc == null || newState == state) {
            return;
        }
        switch (newState) {
            case CONNECTING -> {}
            case OPEN -> {
                state = ChannelState.OPEN;
                opened = true;
                RTCDataChannel open = rtc;
                outbound.opened(new OutboundQueue.Channel() {
                    @Override
                    public long bufferedAmount() {
                        return open.getBufferedAmount();
                    }

                    @Override
                    public void send(ByteBuffer data, boolean binary) throws Exception {
                        open.send(new RTCDataChannelBuffer(data, binary));
                    }
                });
                guarded(() -> listener.onOpen(this));
                pump();
            }
            case CLOSING -> {
                outbound.close();
                state = ChannelState.CLOSING;
            }
            case CLOSED -> release();
        }
    }

    private void closeGracefully() {
        if (released) {
            return;
        }
        outbound.close();
        if (rtc == null) {
            release();
            return;
        }
        state = ChannelState.CLOSING;
        try {
            rtc.close(); // CLOSED arrives through the observer, then release()
        } catch (RuntimeException e) {
            log.debug("closing channel {} threw: {}", this, e.toString());
            release();
        }
    }

    /**
     * Final: refuses what is queued, unhooks and disposes the libwebrtc channel (in the order libwebrtc
     * survives), reports {@code onClosed}. Idempotent. Runs before its peer connection is closed.
     */
    void release() {
        if (released) {
            return;
        }
        released = true;
        outbound.close();
        if (rtc != null) {
            RTCDataChannel channel = rtc;
            rtc = null;
            try {
                channel.unregisterObserver();
            } catch (RuntimeException e) {
                log.debug("unregistering channel {} threw: {}", this, e.toString());
            }
            release(channel);
        }
        state = ChannelState.CLOSED;
        if (opened) {
            guarded(() -> listener.onClosed(this));
        }
    }

    /** Closes and disposes a libwebrtc channel nobody will use; safe on any thread (neither waits on webrtc-java's). */
    static void release(RTCDataChannel channel) {
        try {
            channel.close();
            channel.dispose();
        } catch (RuntimeException e) {
            log.debug("releasing a channel threw: {}", e.toString());
        }
    }

    private Delivery queued(Delivery delivery) {
        if (delivery.outcome() instanceof SendOutcome.Queued) {
            schedulePump();
        }
        return delivery;
    }

    /**
     * Makes sure a pump follows: now if the channel is open and not paused; after a short poll interval
     * while flow control pauses it (unless webrtc-java reports buffer changes); at the oldest message's
     * expiry while the channel is not open yet (opening pumps at once).
     */
    private void schedulePump() {
        if (!pumpScheduled.compareAndSet(false, true)) {
            return;
        }
        boolean scheduled;
        if (outbound.paused()) {
            long delay = bufferEventsSeen
                    ? 50_000_000L
                    : session.config().sendPolicy().pausedPollNanos();
            scheduled = events.schedule(this::pump, delay);
        } else if (state == ChannelState.OPEN) {
            scheduled = events.execute(this::pump);
        } else {
            long deadline = outbound.nextDeadlineNanos();
            long delay = deadline == Long.MAX_VALUE ? 50_000_000L : Math.max(0, deadline - System.nanoTime());
            scheduled = events.schedule(this::pump, delay);
        }
        if (!scheduled) {
            pumpScheduled.set(false);
        }
    }

    private void pump() {
        pumpScheduled.set(false);
        if (released) {
            return;
        }
        if (outbound.pump()) {
            schedulePump();
        }
    }

    private void refused(Object payload, RefusalReason reason) {
        Runnable report = switch (payload) {
            case String text -> () -> listener.onUndelivered(this, text, reason);
            case ByteBuffer data -> () -> listener.onUndelivered(this, data, reason);
            default -> () -> {};
        };
        if (events.inThread()) {
            guarded(report);
        } else {
            events.execute(report);
        }
    }

    private void guarded(Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            log.warn("listener of {} threw", this, e);
        }
    }

    /** What webrtc-java reported for this channel, in its order: a message (copied out) or a new state. */
    private sealed interface Inbound {}

    private record Received(byte[] bytes, boolean binary) implements Inbound {}

    private record StateChanged(ChannelState state) implements Inbound {}

    /** Hands {@code item} to the event thread; one drain task serves every item queued until it runs. */
    private void enqueue(Inbound item) {
        inbox.add(item);
        if (inboxScheduled.compareAndSet(false, true) && !events.execute(this::drainInbox)) {
            inboxScheduled.set(false);
        }
    }

    /**
     * On the event thread: delivers what webrtc-java reported, in order, at most {@value #DRAIN_BATCH}
     * items per turn (then it queues itself again, so other channels and timers get the thread too).
     */
    private void drainInbox() {
        for (int i = 0; i < DRAIN_BATCH; i++) {
            Inbound next = inbox.poll();
            if (next == null) {
                inboxScheduled.set(false);
                // An item added after the last poll but before the flag was cleared saw a drain scheduled.
                if (inbox.isEmpty() || !inboxScheduled.compareAndSet(false, true)) {
                    return;
                }
                continue;
            }
            switch (next) {
                case StateChanged changed -> stateChanged(changed.state());
                case Received message when released -> {}
                case Received message
                when message.binary() -> guarded(() -> listener.onMessage(this, ByteBuffer.wrap(message.bytes())));
                case Received message ->
                    guarded(() -> listener.onMessage(this, new String(message.bytes(), StandardCharsets.UTF_8)));
            }
        }
        if (!events.execute(this::drainInbox)) {
            inboxScheduled.set(false);
        }
    }

    /** Runs on webrtc-java's thread: copies what is valid only during the callback, then hands over. */
    private final class Observer implements RTCDataChannelObserver {
        private final RTCDataChannel observed;

        Observer(RTCDataChannel observed) {
            this.observed = observed;
        }

        @Override
        public void onBufferedAmountChange(long previousAmount) {
            bufferEventsSeen = true;
            if (pumpScheduled.compareAndSet(false, true)) {
                if (!events.execute(DataChannel.this::pump)) {
                    pumpScheduled.set(false);
                }
            }
        }

        @Override
        public void onStateChange() {
            // On webrtc-java's thread the getter is a direct call; unregisterObserver (before dispose)
            // is marshalled to this same thread, so the channel is alive here.
            RTCDataChannelState now = observed.getState();
            enqueue(new StateChanged(EngineStates.of(now)));
        }

        @Override
        public void onMessage(RTCDataChannelBuffer buffer) {
            byte[] bytes = new byte[buffer.data.remaining()];
            buffer.data.get(bytes);
            // This runs on libwebrtc's thread, which also moves the channel's bytes: waking the event
            // thread for every message (a lock and a futex call each) showed up in its profile.
            enqueue(new Received(bytes, buffer.binary));
        }
    }
}
