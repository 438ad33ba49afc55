package dev.rendezvous.bench;

import dev.rendezvous.protocol.Message;
import dev.rendezvous.protocol.MessageCodec;
import dev.rendezvous.protocol.ProtocolException;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * What the server's relay avoids: decode a ~300-byte trickle candidate to a record and encode it again
 * through the protocol codec, as a re-serialising relay would (it drops unknown fields, too). Compare
 * with {@link ConnectionRelayBench}, the server's whole per-frame path (scan, splice, route) through
 * public API. The scanner itself is package-private in the server and is not benchmarked on its own:
 * this module reaches only public API, never the server's packages.
 */
@State(Scope.Thread)
public class CodecRoundTripBench extends QuickNanosBench {
    static final String CANDIDATE =
            "{\"type\":\"candidate\",\"candidate\":{\"candidate\":\"candidate:842163049 1 udp 1677729535 "
                    + "192.0.2.17 53705 typ srflx raddr 0.0.0.0 rport 0 generation 0 ufrag Xq3v network-cost 999\",\"sdpMid\":\"0\","
                    + "\"sdpMLineIndex\":0,\"usernameFragment\":\"Xq3v\"},\"to\":\"6c1f3e0a-8d4e-4a51-9a7e-2f5b1c9d0e11\",\"seq\":123456}";

    @Benchmark
    public int decodeAndReencode() throws ProtocolException {
        Message m = MessageCodec.decode(CANDIDATE);
        return MessageCodec.encode(m).length();
    }
}
