package dev.rendezvous.cli;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/** The doctor's two-peer check: not available until the Java peer SDK lands. */
final class DoctorPeers implements Doctor.PeerCheck {
    @Override
    public DoctorCheck run(URI webSocket, Optional<String> token, Duration timeout) {
        return DoctorCheck.fail("peers pair and open a data channel", "the Java peer SDK is not built in", Duration.ZERO);
    }
}
