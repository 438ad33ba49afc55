package dev.rendezvous.client.files;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;

/**
 * Whether a file name a remote sender announced may be written in the target directory: one plain name,
 * no path. Refused: empty, {@code .}/{@code ..}, any {@code /} or {@code \} (so no {@code ../} and no
 * absolute path), control characters, characters Windows forbids ({@code <>:"|?*}), a trailing dot or
 * space, Windows device names ({@code CON}, {@code NUL}, {@code COM1}… with or without an extension),
 * and names longer than {@value #MAX_UTF8_BYTES} UTF-8 bytes. The same rules on every system, so a name
 * accepted here is safe wherever the file goes next.
 */
public final class SafeFileName {
    public static final int MAX_UTF8_BYTES = 255;
    private static final Set<String> DEVICES = Set.of(
            "CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7",
            "COM8", "COM9", "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9");

    private SafeFileName() {}

    /** @return null if {@code name} is safe, else why not (one clause, to show the sender) */
    public static String problem(String name) {
        if (name == null || name.isEmpty()) {
            return "empty file name";
        }
        if (name.getBytes(StandardCharsets.UTF_8).length > MAX_UTF8_BYTES) {
            return "file name longer than " + MAX_UTF8_BYTES + " bytes";
        }
        if (name.equals(".") || name.equals("..")) {
            return "file name \"" + name + "\" is a directory reference";
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0)) {
                return "file name contains a control character";
            }
            if (c == '/' || c == '\\') {
                return "file name contains a path separator (only a plain name is accepted)";
            }
            if ("<>:\"|?*".indexOf(c) >= 0) {
                return "file name contains '" + c + "'";
            }
        }
        char last = name.charAt(name.length() - 1);
        if (last == '.' || last == ' ') {
            return "file name ends with a dot or a space";
        }
        int dot = name.indexOf('.');
        String stem = (dot < 0 ? name : name.substring(0, dot)).strip().toUpperCase(Locale.ROOT);
        if (DEVICES.contains(stem)) {
            return "file name \"" + name + "\" is a device name";
        }
        return null;
    }
}
