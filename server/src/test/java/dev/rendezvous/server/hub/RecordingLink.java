package dev.rendezvous.server.hub;

import dev.rendezvous.protocol.CloseCode;
import dev.rendezvous.protocol.Message;
import dev.rendezvous.protocol.MessageCodec;
import dev.rendezvous.protocol.ProtocolException;
import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** A {@link Link} test double that records frames as text, and the close. Thread-safe. */
public final class RecordingLink implements Link {
    private final List<String> frames = new ArrayList<>();
    private CloseCode closedWith;

    @Override
    public synchronized void send(ByteBuf utf8Json) {
        try {
            if (closedWith == null) {
                frames.add(utf8Json.toString(StandardCharsets.UTF_8));
            }
        } finally {
            utf8Json.release();
        }
    }

    @Override
    public synchronized void close(CloseCode code, String reason) {
        if (closedWith == null) {
            closedWith = code;
        }
    }

    /** Removes and returns every frame so far. */
    public synchronized List<String> drain() {
        List<String> out = new ArrayList<>(frames);
        frames.clear();
        return out;
    }

    /** Removes and returns every frame so far, decoded. */
    public List<Message> drainMessages() {
        List<Message> out = new ArrayList<>();
        for (String f : drain()) {
            try {
                out.add(MessageCodec.decode(f));
            } catch (ProtocolException e) {
                throw new AssertionError("undecodable " + f, e);
            }
        }
        return out;
    }

    public synchronized CloseCode closedWith() {
        return closedWith;
    }
}
