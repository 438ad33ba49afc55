package dev.rendezvous.client.rtc;

import dev.onvoid.webrtc.CreateSessionDescriptionObserver;
import dev.onvoid.webrtc.PeerConnectionObserver;
import dev.onvoid.webrtc.PortAllocatorConfig;
import dev.onvoid.webrtc.RTCAnswerOptions;
import dev.onvoid.webrtc.RTCConfiguration;
import dev.onvoid.webrtc.RTCDataChannel;
import dev.onvoid.webrtc.RTCDataChannelBuffer;
import dev.onvoid.webrtc.RTCDataChannelInit;
import dev.onvoid.webrtc.RTCDataChannelObserver;
import dev.onvoid.webrtc.RTCDataChannelState;
import dev.onvoid.webrtc.RTCIceCandidate;
import dev.onvoid.webrtc.RTCOfferOptions;
import dev.onvoid.webrtc.RTCPeerConnection;
import dev.onvoid.webrtc.RTCSessionDescription;
import dev.onvoid.webrtc.SetSessionDescriptionObserver;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Raw webrtc-java, no SDK: two peer connections in one JVM on a runtime's factory, one data channel, in
 * loopback ICE mode (candidates rewritten to 127.0.0.1). The baseline the benchmark holds the SDK to:
 * the sender keeps a running estimate of the buffered amount and asks libwebrtc only when the estimate
 * reaches the high mark, then waits (polling every 0.2 ms: webrtc-java 0.14.0 never calls
 * {@code onBufferedAmountChange}) until the low mark, and sends one reused direct buffer (one copy, made
 * by libwebrtc); the receiver copies each message out of the callback's
 * native buffer, as any application must, and counts bytes. Each side has its own runtime (factory and
 * libwebrtc threads), as two {@code Peer}s do. Its UDP sockets keep the system's receive buffer unless
 * {@link #open(RtcRuntime, RtcRuntime, int)} is given one (the SDK's {@link UdpReceiveBuffers} tuning, to
 * compare like with like).
 */
public final class RawChannelPair implements AutoCloseable {
    private static final long WAIT_SECONDS = 20;

    private final RTCPeerConnection offerer;
    private final RTCPeerConnection answerer;
    private final RTCDataChannel sending;
    private final CompletableFuture<RTCDataChannel> receiving = new CompletableFuture<>();
    private final CompletableFuture<Void> open = new CompletableFuture<>();
    private final AtomicLong received = new AtomicLong();
    private volatile long expected = Long.MAX_VALUE;
    private volatile CompletableFuture<Long> allReceived = new CompletableFuture<>();

    // Candidates wait until both descriptions are set; guarded by this.
    private final List<Runnable> pendingCandidates = new ArrayList<>();
    private boolean described;

    private final UdpReceiveBuffers udpBuffers;

    private RawChannelPair(RtcRuntime offering, RtcRuntime answering, int udpReceiveBufferBytes) throws Exception {
        udpBuffers = new UdpReceiveBuffers(udpReceiveBufferBytes);
        offerer = offering.createPeerConnection(loopback(), candidateTo(() -> answerer()));
        answerer = answering.createPeerConnection(loopback(), new PeerConnectionObserver() {
            @Override
            public void onIceCandidate(RTCIceCandidate candidate) {
                relay(candidate, offerer);
            }

            @Override
            public void onDataChannel(RTCDataChannel channel) {
                channel.registerObserver(new Counter(channel));
                receiving.complete(channel);
            }
        });
        sending = offerer.createDataChannel("raw", new RTCDataChannelInit());
        sending.registerObserver(new RTCDataChannelObserver() {
            @Override
            public void onBufferedAmountChange(long previousAmount) {}

            @Override
            public void onStateChange() {
                if (sending.getState() == RTCDataChannelState.OPEN) {
                    open.complete(null);
                }
            }

            @Override
            public void onMessage(RTCDataChannelBuffer buffer) {}
        });
        RTCSessionDescription offer = describe(o -> offerer.createOffer(new RTCOfferOptions(), o));
        set(o -> offerer.setLocalDescription(offer, o));
        set(o -> answerer.setRemoteDescription(offer, o));
        RTCSessionDescription answer = describe(o -> answerer.createAnswer(new RTCAnswerOptions(), o));
        set(o -> answerer.setLocalDescription(answer, o));
        set(o -> offerer.setRemoteDescription(answer, o));
        List<Runnable> waiting;
        synchronized (this) {
            described = true;
            waiting = List.copyOf(pendingCandidates);
        }
        waiting.forEach(Runnable::run);
        open.get(WAIT_SECONDS, TimeUnit.SECONDS);
        receiving.get(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    /** Connects the pair and waits until the channel is open on both sides. */
    public static RawChannelPair open(RtcRuntime offering, RtcRuntime answering) throws Exception {
        return new RawChannelPair(offering, answering, 0);
    }

    /** As above, each UDP socket's receive buffer raised to {@code udpReceiveBufferBytes} (0: the system's). */
    public static RawChannelPair open(RtcRuntime offering, RtcRuntime answering, int udpReceiveBufferBytes)
            throws Exception {
        return new RawChannelPair(offering, answering, udpReceiveBufferBytes);
    }

    private RTCPeerConnection answerer() {
        return answerer;
    }

    /**
     * Sends {@code count} binary messages of {@code size} bytes and waits until the receiver has counted
     * them all; returns the elapsed nanoseconds.
     */
    public long transfer(int size, long count, long highWater, long lowWater) throws Exception {
        received.set(0);
        allReceived = new CompletableFuture<>();
        expected = size * count;
        ByteBuffer message = ByteBuffer.allocateDirect(size); // webrtc-java copies it during send: reusable
        RTCDataChannelBuffer buffer = new RTCDataChannelBuffer(message, true);
        long start = System.nanoTime();
        long estimate = 0; // bytes sent since the last look at getBufferedAmount() (a call to libwebrtc's thread)
        for (long i = 0; i < count; i++) {
            if (estimate + size > highWater) {
                estimate = sending.getBufferedAmount();
                if (estimate + size > highWater) {
                    while ((estimate = sending.getBufferedAmount()) > lowWater) {
                        LockSupport.parkNanos(200_000);
                    }
                }
            }
            sending.send(buffer);
            estimate += size;
        }
        long end = allReceived.get(120, TimeUnit.SECONDS);
        return end - start;
    }

    @Override
    public void close() {
        RTCDataChannel other = receiving.getNow(null);
        for (RTCDataChannel channel : other == null ? List.of(sending) : List.of(sending, other)) {
            channel.unregisterObserver();
            channel.close();
            channel.dispose();
        }
        offerer.close();
        answerer.close();
    }

    private final class Counter implements RTCDataChannelObserver {
        Counter(RTCDataChannel channel) {}

        @Override
        public void onBufferedAmountChange(long previousAmount) {}

        @Override
        public void onStateChange() {}

        @Override
        public void onMessage(RTCDataChannelBuffer buffer) {
            byte[] copy = new byte[buffer.data.remaining()];
            buffer.data.get(copy);
            if (received.addAndGet(copy.length) >= expected) {
                allReceived.complete(System.nanoTime());
            }
        }
    }

    private PeerConnectionObserver candidateTo(java.util.function.Supplier<RTCPeerConnection> to) {
        return candidate -> relay(candidate, to.get());
    }

    private void relay(RTCIceCandidate candidate, RTCPeerConnection to) {
        udpBuffers.localCandidate(candidate.sdp);
        LoopbackCandidates.rewrite(candidate.sdp).ifPresent(line -> {
            RTCIceCandidate rewritten = new RTCIceCandidate(candidate.sdpMid, candidate.sdpMLineIndex, line);
            Runnable add = () -> to.addIceCandidate(rewritten);
            synchronized (this) {
                if (!described) {
                    pendingCandidates.add(add);
                    return;
                }
            }
            add.run();
        });
    }

    private static RTCConfiguration loopback() {
        RTCConfiguration config = new RTCConfiguration();
        config.portAllocatorConfig = new PortAllocatorConfig();
        config.portAllocatorConfig.flags |= PortAllocatorConfig.PORTALLOCATOR_DISABLE_ADAPTER_ENUMERATION
                | PortAllocatorConfig.PORTALLOCATOR_DISABLE_TCP;
        return config;
    }

    private static RTCSessionDescription describe(java.util.function.Consumer<CreateSessionDescriptionObserver> call)
            throws Exception {
        CompletableFuture<RTCSessionDescription> done = new CompletableFuture<>();
        call.accept(new CreateSessionDescriptionObserver() {
            @Override
            public void onSuccess(RTCSessionDescription description) {
                done.complete(description);
            }

            @Override
            public void onFailure(String error) {
                done.completeExceptionally(new IllegalStateException(error));
            }
        });
        return done.get(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    private static void set(java.util.function.Consumer<SetSessionDescriptionObserver> call) throws Exception {
        CompletableFuture<Void> done = new CompletableFuture<>();
        call.accept(new SetSessionDescriptionObserver() {
            @Override
            public void onSuccess() {
                done.complete(null);
            }

            @Override
            public void onFailure(String error) {
                done.completeExceptionally(new IllegalStateException(error));
            }
        });
        done.get(WAIT_SECONDS, TimeUnit.SECONDS);
    }
}
