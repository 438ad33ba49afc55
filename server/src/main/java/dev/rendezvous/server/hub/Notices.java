package dev.rendezvous.server.hub;

import dev.rendezvous.protocol.Message;
import io.netty.buffer.ByteBuf;
import java.util.List;

/**
 * The frames a hub decision produces — {@code paired}, {@code peer_disconnected}, {@code users_in_room},
 * {@code user_joined}, {@code user_left} — built here for every hub. The hub calls these while it holds
 * what orders the change (a monitor in-process, the backplane loop on Redis), so every client sees
 * changes in the order the hub made them.
 */
public final class Notices {

    private Notices() {}

    /** Tells {@code to} it is paired with {@code peerId}; the requester of the pairing is the initiator. */
    public static void paired(Link to, String peerId, boolean initiator) {
        to.send(ControlFrames.of(new Message.Paired(peerId, initiator)));
    }

    /** Tells {@code to} that its peer {@code peerId} unpaired or left. */
    public static void peerDisconnected(Link to, String peerId) {
        to.send(ControlFrames.of(new Message.PeerDisconnected(peerId)));
    }

    /** Tells a joining member who else is in the room. */
    public static void usersInRoom(Link to, List<Message.RoomUser> others) {
        to.send(ControlFrames.of(new Message.UsersInRoom(others)));
    }

    /** {@code user_joined} for every member {@link Fanout#to told}. */
    public static Fanout userJoined(String id, String username) {
        return new Fanout(new Message.UserJoined(id, username));
    }

    /** {@code user_left} for every member {@link Fanout#to told}. */
    public static Fanout userLeft(String id, String username) {
        return new Fanout(new Message.UserLeft(id, username));
    }

    /**
     * One notice for several members: encoded once, at the first receiver (none: never encoded). Not
     * thread-safe; use it in try-with-resources, which releases the frame.
     */
    public static final class Fanout implements AutoCloseable {
        private final Message message;
        private ByteBuf frame;

        private Fanout(Message message) {
            this.message = message;
        }

        /** Sends the notice to {@code link}. */
        public void to(Link link) {
            if (frame == null) {
                frame = ControlFrames.of(message);
            }
            link.send(frame.retainedDuplicate());
        }

        @Override
        public void close() {
            if (frame != null) {
                frame.release();
                frame = null;
            }
        }
    }
}
