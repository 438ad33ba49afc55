package dev.rendezvous.cli;

import java.time.Duration;

/**
 * One line of {@code rendezvous doctor}'s checklist.
 *
 * @param name what was checked, e.g. {@code "HTTP reachable"} or {@code "TURN turn:host:3478"}
 * @param ok whether it passed (a warning passes: it does not fail the run)
 * @param warning whether it passed with a caveat a person should read (shown as {@code ⚠})
 * @param detail why: what was seen on success, what went wrong (and what to try) on failure
 * @param elapsed how long the check took
 */
record DoctorCheck(String name, boolean ok, boolean warning, String detail, Duration elapsed) {

    DoctorCheck(String name, boolean ok, String detail, Duration elapsed) {
        this(name, ok, false, detail, elapsed);
    }

    static DoctorCheck pass(String name, String detail, Duration elapsed) {
        return new DoctorCheck(name, true, detail, elapsed);
    }

    /** Passed, but with something that works only in some setups (e.g. no STUN/TURN server at all). */
    static DoctorCheck warn(String name, String detail, Duration elapsed) {
        return new DoctorCheck(name, true, true, detail, elapsed);
    }

    /** {@code pass}, {@code warn} or {@code fail}, as {@code --json} prints it. */
    String status() {
        return !ok ? "fail" : warning ? "warn" : "pass";
    }

    static DoctorCheck fail(String name, String detail, Duration elapsed) {
        return new DoctorCheck(name, false, detail, elapsed);
    }

    static DoctorCheck skipped(String name, String because) {
        return new DoctorCheck(name, false, "not run: " + because, Duration.ZERO);
    }
}
