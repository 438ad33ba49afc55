package dev.rendezvous.cli;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import dev.rendezvous.client.rtc.RtcRuntime;

/**
 * Keeps webrtc-java's exit-time noise out of a command's output. Once libwebrtc was loaded, a native thread
 * of webrtc-java tries to attach to the JVM while it exits and prints {@code VM attach current thread
 * failed} and {@code Failed to attach thread N} to <em>stdout</em> (its {@code JavaThreadEnv}, through
 * {@code std::cout}): after the runtime was closed and disposed, and with {@code Runtime.halt} too. In
 * {@code send --json} and {@code receive --json} those were two lines of the event stream that were not
 * JSON, and in every peer command two lines that looked like a failure.
 *
 * <p>So once a command's own output is complete, just before the process exits, stdout is pointed at
 * {@code /dev/null} (through JNA, which the SDK already uses): what native code prints while the process
 * ends goes nowhere. Only after a command that loaded libwebrtc (the others pay nothing); Linux and macOS;
 * if anything fails, stdout stays as it was.
 */
final class NativeExitNoise {
    private static final int O_WRONLY = 1; // Linux and macOS

    /** The two calls this needs from the C library. */
    interface LibC extends Library {
        int open(String path, int flags);

        int dup2(int from, int to);
    }

    private NativeExitNoise() {}

    /** Call last, with everything the command prints already printed. */
    static void silenceStdoutBeforeExit() {
        if (!RtcRuntime.everCreated() || !(Platform.isLinux() || Platform.isMac())) {
            return;
        }
        System.out.flush();
        try {
            LibC c = Native.load("c", LibC.class);
            int devNull = c.open("/dev/null", O_WRONLY);
            if (devNull >= 0) {
                c.dup2(devNull, 1);
            }
        } catch (LinkageError | RuntimeException e) {
            // Leave stdout alone: the noise is cosmetic, the command's result is already out. (LinkageError:
            // JNA's native part may be missing or may have failed to load before, on this platform.)
        }
    }
}
