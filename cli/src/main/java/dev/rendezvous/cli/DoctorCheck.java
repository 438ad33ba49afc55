package dev.rendezvous.cli;

import java.time.Duration;

/**
 * One line of {@code rendezvous doctor}'s checklist.
 *
 * @param name what was checked, e.g. {@code "HTTP reachable"} or {@code "TURN turn:host:3478"}
 * @param ok whether it passed
 * @param detail why: what was seen on success, what went wrong (and what to try) on failure
 * @param elapsed how long the check took
 */
record DoctorCheck(String name, boolean ok, String detail, Duration elapsed) {

    static DoctorCheck pass(String name, String detail, Duration elapsed) {
        return new DoctorCheck(name, true, detail, elapsed);
    }

    static DoctorCheck fail(String name, String detail, Duration elapsed) {
        return new DoctorCheck(name, false, detail, elapsed);
    }

    static DoctorCheck skipped(String name, String because) {
        return new DoctorCheck(name, false, "not run: " + because, Duration.ZERO);
    }
}
