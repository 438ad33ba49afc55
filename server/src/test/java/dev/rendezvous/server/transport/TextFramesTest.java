package dev.rendezvous.server.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** In-place framing: the header goes into the headroom of a buffer from {@link TextFrames#buffer}, for every header size. */
class TextFramesTest {
    /** Without leak detection: a sampled buffer is wrapped, and a wrapper rightly goes through the encoder. */
    private static final UnpooledByteBufAllocator ALLOC = new UnpooledByteBufAllocator(false, true);

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 125, 126, 65_535, 65_536, 70_000})
    void aFrameBufferIsFramedInPlaceWithTheHeaderRfc6455AsksFor(int length) {
        ByteBuf json = TextFrames.buffer(ALLOC, length);
        try {
            assertThat(json.readerIndex()).isEqualTo(TextFrames.HEADROOM);
            json.writeBytes("x".repeat(length).getBytes(StandardCharsets.US_ASCII));
            Object frame = TextFrames.frame(json);
            assertThat(frame).isSameAs(json);
            int header = length < 126 ? 2 : length <= 0xFFFF ? 4 : 10;
            assertThat(json.readableBytes()).isEqualTo(header + length);
            assertThat((int) json.getUnsignedByte(json.readerIndex()))
                    .as("FIN + text")
                    .isEqualTo(0x81);
            int lengthByte = json.getUnsignedByte(json.readerIndex() + 1);
            assertThat(lengthByte & 0x80).as("servers never mask").isZero();
            long encoded = header == 2
                    ? (long) lengthByte
                    : header == 4
                            ? json.getUnsignedShort(json.readerIndex() + 2)
                            : json.getLong(json.readerIndex() + 2);
            assertThat(lengthByte).isEqualTo(header == 2 ? length : header == 4 ? 126 : 127);
            assertThat(encoded).isEqualTo((long) length);
        } finally {
            json.release();
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void aSharedBufferOrOneWithoutRoomGoesThroughTheEncoder(boolean shared) {
        ByteBuf json = shared ? TextFrames.buffer(ALLOC, 8) : Unpooled.buffer(8);
        json.writeBytes("{\"a\":1}".getBytes(StandardCharsets.US_ASCII));
        if (shared) {
            json.retain(); // a room broadcast holds one reference per receiver
        }
        Object frame = TextFrames.frame(json);
        try {
            assertThat(frame).isInstanceOf(TextWebSocketFrame.class);
            assertThat(((TextWebSocketFrame) frame).text()).isEqualTo("{\"a\":1}");
        } finally {
            ((TextWebSocketFrame) frame).release();
            if (shared) {
                json.release();
            }
        }
    }
}
