package dev.rendezvous.cli;

import dev.rendezvous.server.config.Setting;
import java.util.List;

/**
 * The table of every setting in docs/operations.md, written from the declarations in
 * {@link ServeSettings} (OperationsDocTest holds the document to it, and rewrites it on request).
 */
final class SettingsTable {

    static final String BEGIN = "<!-- settings table: generated from ServeSettings by OperationsDocTest;"
            + " edit the declarations, not this table (see \"Adding a setting\") -->";
    static final String END = "<!-- end of settings table -->";

    private SettingsTable() {}

    /** The block between and including the markers. */
    static String markdown(List<Setting<?>> settings) {
        StringBuilder out = new StringBuilder(BEGIN)
                .append('\n')
                .append("| YAML key | flag | environment variable | default | meaning |\n")
                .append("|---|---|---|---|---|\n");
        for (Setting<?> s : settings) {
            String flag =
                    s.flag() == null ? "—" : code(s.flag() + " " + s.label()) + (s.repeatable() ? " (repeatable)" : "");
            String env = s.env() == null ? "—" : code(s.env()) + (s.repeatable() ? " (comma-separated)" : "");
            String meaning = s.description() + (s.secret() ? " Masked by `--print-config`." : "");
            out.append("| ")
                    .append(code(s.key()))
                    .append(" | ")
                    .append(flag)
                    .append(" | ")
                    .append(env)
                    .append(" | ")
                    .append(cell(s.defaultText()))
                    .append(" | ")
                    .append(cell(meaning))
                    .append(" |\n");
        }
        return out.append(END).toString();
    }

    private static String code(String text) {
        return "`" + cell(text) + "`";
    }

    /** A pipe ends a table cell, also inside a code span: escape it. */
    private static String cell(String text) {
        return text.replace("|", "\\|");
    }
}
