package dev.rendezvous.server.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SentLogTest {
    private final List<ByteBuf> made = new ArrayList<>();

    /** A pooled buffer with 10 bytes of headroom before its text, like a relayed frame. */
    private ByteBuf frame(String text) {
        ByteBuf b = PooledByteBufAllocator.DEFAULT.buffer(10 + text.length());
        b.writerIndex(10).readerIndex(10);
        b.writeCharSequence(text, StandardCharsets.UTF_8);
        made.add(b);
        return b;
    }

    private static List<String> texts(SentLog log) {
        List<String> out = new ArrayList<>();
        log.forEachRetained(s -> {
            out.add(s.toString(StandardCharsets.UTF_8));
            s.release();
        });
        return out;
    }

    @AfterEach
    void everyBufferReleasedOnce() {
        for (ByteBuf b : made) {
            assertThat(b.refCnt()).as("a buffer the log let go of").isZero();
        }
    }

    @Test
    void keepsInOrderAcrossGrowthAndWrapAndDropsTheOldestAtTheFrameBound() {
        SentLog log = new SentLog(16, 1 << 20);
        for (int i = 0; i < 40; i++) {
            log.add(frame("f" + i));
        }
        assertThat(log.size()).isEqualTo(16);
        List<String> expected = new ArrayList<>();
        for (int i = 24; i < 40; i++) {
            expected.add("f" + i);
        }
        assertThat(texts(log)).isEqualTo(expected);
        assertThat(log.bytes()).isEqualTo(16 * 3);
        log.clear();
        assertThat(log.size()).isZero();
        assertThat(log.bytes()).isZero();
    }

    @Test
    void theByteBoundDropsTheOldestAndAFrameLargerThanItIsNotKept() {
        SentLog log = new SentLog(256, 10);
        log.add(frame("aaaa"));
        log.add(frame("bbbb"));
        log.add(frame("cccc")); // 12 bytes: the oldest goes
        assertThat(texts(log)).containsExactly("bbbb", "cccc");
        log.add(frame("x".repeat(11)));
        assertThat(log.size()).isZero();
        assertThat(log.bytes()).isZero();
    }

    @Test
    void keepsTheWindowItWasGivenWhateverTheBuffersIndicesDoLater() {
        SentLog log = new SentLog(8, 1024);
        ByteBuf f = frame("{\"type\":\"offer\"}");
        log.add(f.retain()); // the log's reference; the caller's goes to the transport
        f.readerIndex(8); // a transport writing a header into the headroom, then writing the frame out
        f.readerIndex(f.writerIndex());
        f.release();
        assertThat(f.refCnt()).isEqualTo(1);
        assertThat(texts(log)).containsExactly("{\"type\":\"offer\"}");
        log.dropOldest();
    }

    @Test
    void frameBoundMustBeAPowerOfTwo() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new SentLog(100, 1024))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
