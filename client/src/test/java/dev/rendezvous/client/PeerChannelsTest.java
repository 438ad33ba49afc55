package dev.rendezvous.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rendezvous.client.rtc.ChannelListener;
import dev.rendezvous.client.rtc.ChannelOptions;
import dev.rendezvous.client.rtc.ChannelState;
import dev.rendezvous.client.rtc.DataChannel;
import dev.rendezvous.client.rtc.Delivery;
import dev.rendezvous.client.rtc.SendOutcome;
import dev.rendezvous.testing.ServerFixture;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Binary messages, several channels per peer, flush, and the one-event-thread rule: two Java peers
 * through a real server on 127.0.0.1, real libwebrtc in loopback mode.
 */
class PeerChannelsTest {
    @RegisterExtension
    static final ServerFixture server = ServerFixture.perClass();

    /** Records chat events and the threads every callback ran on; accepts remote channels it is told to. */
    private static final class Recorder extends PeerRecorder {
        final BlockingQueue<String> binary = new LinkedBlockingQueue<>();
        final Set<String> threads = ConcurrentHashMap.newKeySet();
        final BlockingQueue<DataChannel> remoteChannels = new LinkedBlockingQueue<>();
        volatile ChannelListener acceptRemote;

        @Override
        public void onPaired(String peerId, boolean initiator) {
            threads.add(Thread.currentThread().getName());
            super.onPaired(peerId, initiator);
        }

        @Override
        public void onChannelOpen(String peerId) {
            threads.add(Thread.currentThread().getName());
            super.onChannelOpen(peerId);
        }

        @Override
        public void onConnectionState(String peerId, dev.rendezvous.client.rtc.ConnectionState state) {
            threads.add(Thread.currentThread().getName());
            super.onConnectionState(peerId, state);
        }

        @Override
        public void onIceState(String peerId, dev.rendezvous.client.rtc.IceState state) {
            threads.add(Thread.currentThread().getName());
        }

        @Override
        public void onMessage(String peerId, String text) {
            threads.add(Thread.currentThread().getName());
            binary.add("text " + text);
        }

        @Override
        public void onMessage(String peerId, ByteBuffer data) {
            threads.add(Thread.currentThread().getName());
            byte[] bytes = new byte[data.remaining()];
            data.get(bytes);
            binary.add("binary " + HexFormat.of().formatHex(bytes));
        }

        @Override
        public ChannelListener onRemoteChannel(String peerId, DataChannel channel) {
            threads.add(Thread.currentThread().getName());
            remoteChannels.add(channel);
            return acceptRemote;
        }

        String next() throws InterruptedException {
            String next = binary.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(next).as("a message within %s", WAIT).isNotNull();
            return next;
        }
    }

    /** {@code <name>-a} and {@code <name>-b} on the class's server, paired, chat open. */
    private static PeerPair<Recorder> opened(String name) throws Exception {
        return PeerPair.opened(id -> TestPeers.loopback(server.lobby(), id), name, Recorder::new);
    }

    private static final java.time.Duration WAIT = PeerRecorder.WAIT;

    private static String sha256(ByteBuffer data) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256")
                            .digest(java.util.Arrays.copyOfRange(
                                    data.array(),
                                    data.arrayOffset() + data.position(),
                                    data.arrayOffset() + data.limit())));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void binaryAndTextInterleaveInOrderWithoutCopiesAndEveryCallbackRunsOnThePeersOneThread() throws Exception {
        try (PeerPair<Recorder> p = opened("bin")) {
            DataChannel chat = p.a().chat("bin-b");
            assertThat(chat.state()).isEqualTo(ChannelState.OPEN);

            byte[] array = {0, 1, 2, (byte) 0xff};
            ByteBuffer direct = ByteBuffer.allocateDirect(6)
                    .put(new byte[] {9, 8, 7, 6, 5, 4})
                    .position(1)
                    .limit(4);
            ByteBuffer heapPart = ByteBuffer.wrap(new byte[] {10, 11, 12, 13}, 1, 2);
            assertThat(chat.send(array).outcome()).isEqualTo(SendOutcome.SENT);
            assertThat(chat.send("between ✓").outcome()).isEqualTo(SendOutcome.SENT);
            assertThat(chat.send(direct).outcome()).isEqualTo(SendOutcome.SENT);
            assertThat(p.a().send(heapPart).get("bin-b").outcome()).isEqualTo(SendOutcome.SENT);
            assertThat(chat.send(new byte[0]).outcome())
                    .as("an empty message is a message")
                    .isEqualTo(SendOutcome.SENT);

            assertThat(p.bEvents().next()).isEqualTo("binary 000102ff");
            assertThat(p.bEvents().next()).isEqualTo("text between ✓");
            assertThat(p.bEvents().next())
                    .as("only position..limit of a direct buffer")
                    .isEqualTo("binary 080706");
            assertThat(p.bEvents().next())
                    .as("only position..limit of a heap buffer's part")
                    .isEqualTo("binary 0b0c");
            assertThat(p.bEvents().next()).isEqualTo("binary ");
            assertThat(direct.position()).as("the caller's buffer is not moved").isEqualTo(1);
            assertThat(heapPart.position()).isEqualTo(1);

            p.b().send(new byte[] {42});
            assertThat(p.aEvents().next()).isEqualTo("binary 2a");

            // native -> event thread -> listener: one thread per peer, none of webrtc-java's.
            assertThat(p.aEvents().threads)
                    .singleElement()
                    .satisfies(name -> assertThat(name).startsWith("rendezvous-peer-"));
            assertThat(p.bEvents().threads)
                    .singleElement()
                    .satisfies(name -> assertThat(name).startsWith("rendezvous-peer-"));
            assertThat(p.aEvents().threads).doesNotContainAnyElementsOf(p.bEvents().threads);
            assertThat(Thread.getAllStackTraces().keySet())
                    .noneMatch(t -> t.getName().startsWith("rtc-session-"));
        }
    }

    @Test
    void aSecondUnorderedChannelCarriesAFileSizedTransferBesideChat() throws Exception {
        try (PeerPair<Recorder> p = opened("chan")) {
            Set<String> received = ConcurrentHashMap.newKeySet();
            AtomicLong receivedBytes = new AtomicLong();
            CompletableFuture<Void> receiverOpen = new CompletableFuture<>();
            CompletableFuture<Void> receiverClosed = new CompletableFuture<>();
            p.bEvents().acceptRemote = new ChannelListener() {
                @Override
                public void onOpen(DataChannel channel) {
                    receiverOpen.complete(null);
                }

                @Override
                public void onMessage(DataChannel channel, ByteBuffer data) {
                    receivedBytes.addAndGet(data.remaining());
                    received.add(sha256(data));
                }

                @Override
                public void onClosed(DataChannel channel) {
                    receiverClosed.complete(null);
                }
            };
            CompletableFuture<Void> senderOpen = new CompletableFuture<>();
            DataChannel transfer = p.a().openChannel(
                            "chan-b", "transfer-1", ChannelOptions.UNORDERED, new ChannelListener() {
                                @Override
                                public void onOpen(DataChannel channel) {
                                    senderOpen.complete(null);
                                }
                            });
            assertThat(transfer.label()).isEqualTo("transfer-1");
            assertThat(transfer.options().ordered()).isFalse();

            // 8 MiB in 64 KiB chunks, waiting on each QUEUED one: flow control, not the caller, paces it.
            Set<String> sent = new java.util.HashSet<>();
            Random random = new Random(18);
            int chunks = 128;
            for (int i = 0; i < chunks; i++) {
                byte[] chunk = new byte[64 * 1024];
                random.nextBytes(chunk);
                sent.add(sha256(ByteBuffer.wrap(chunk)));
                Delivery d = transfer.send(chunk);
                assertThat(d.refused()).as("chunk %d", i).isFalse();
                if (d.outcome() instanceof SendOutcome.Queued) {
                    assertThat(d.settled().toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS))
                            .isEqualTo(SendOutcome.SENT);
                }
            }
            p.a().send("chat still flows");
            assertThat(p.bEvents().next()).isEqualTo("text chat still flows");
            assertThat(p.a().flush(WAIT))
                    .as("everything left within the deadline")
                    .isEmpty();
            assertThat(transfer.bufferedAmount()).isZero();
            senderOpen.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            receiverOpen.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            DataChannel remote = p.bEvents().remoteChannels.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(remote.label()).isEqualTo("transfer-1");
            assertThat(remote.options().ordered()).isFalse();
            await().atMost(WAIT).until(() -> receivedBytes.get() == chunks * 64L * 1024);
            // Unordered: chunks may arrive in any order, so each one is compared by its own hash.
            assertThat(received).hasSize(chunks).isEqualTo(sent);

            transfer.close();
            receiverClosed.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            await().atMost(WAIT).until(() -> transfer.state() == ChannelState.CLOSED);
            assertThat(transfer.send("late").refused()).isTrue();
            assertThat(p.a().chat("chan-b").isOpen())
                    .as("closing one channel leaves chat open")
                    .isTrue();
            p.a().send("after the transfer");
            assertThat(p.bEvents().next()).isEqualTo("text after the transfer");
        }
    }

    @Test
    void aChannelTheOtherSideRefusesCloses() throws Exception {
        try (PeerPair<Recorder> p = opened("refuse")) { // acceptRemote stays null: refuse
            DataChannel unwanted =
                    p.a().openChannel("refuse-b", "unwanted", ChannelOptions.RELIABLE, new ChannelListener() {});
            assertThat(p.bEvents()
                            .remoteChannels
                            .poll(WAIT.toSeconds(), TimeUnit.SECONDS)
                            .label())
                    .isEqualTo("unwanted");
            await().atMost(WAIT).until(() -> unwanted.state() == ChannelState.CLOSED);
            assertThat(unwanted.send("anyone?").refused()).isTrue();
            p.a().send("chat unaffected");
            assertThat(p.bEvents().next()).isEqualTo("text chat unaffected");
        }
    }

    @Test
    void flushWaitsUntilABurstHasLeftAndNamesWhatCouldNotLeave() throws Exception {
        try (PeerPair<Recorder> p = opened("flush")) {
            byte[] chunk = new byte[200 * 1024];
            List<Delivery> burst = new ArrayList<>();
            for (int i = 0; i < 40; i++) { // 8 MB: well past the high mark, so much of it waits queued
                burst.add(p.a().send(chunk).get("flush-b"));
            }
            assertThat(burst).noneMatch(Delivery::refused);
            assertThat(p.a().chat("flush-b").bufferedAmount()).isPositive();
            assertThat(p.a().flush(WAIT)).isEmpty();
            assertThat(p.a().chat("flush-b").bufferedAmount()).isZero();
            for (Delivery d : burst) {
                assertThat(d.settled().toCompletableFuture().getNow(null)).isEqualTo(SendOutcome.SENT);
            }
            // A deadline that has passed: it only looks, and names the channel that still holds bytes. Another
            // 8 MB burst is still queued when it looks (the queue pauses at the high mark); its bytes may leave a
            // moment later, so the test asserts the name flush gave, not a buffered amount read afterwards.
            for (int i = 0; i < 40; i++) {
                p.a().send(chunk);
            }
            List<DataChannel> holding = p.a().flush(java.time.Duration.ZERO);
            assertThat(holding).extracting(DataChannel::label).containsExactly("chat");
        }
    }
}
