package dev.rendezvous.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rendezvous.server.config.Setting;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** docs/operations.md lists every setting of `rendezvous serve` under its three names, and the launcher's JVM options. */
class OperationsDocTest {

    @Test
    void everySettingIsDocumentedWithKeyFlagAndEnvironmentVariable() throws Exception {
        Path doc = Path.of(System.getProperty("user.dir")).getParent().resolve("docs/operations.md");
        String text = Files.readString(doc);

        for (Setting<?> setting : ServeSettings.ALL) {
            assertThat(text)
                    .as("docs for %s", setting.key())
                    .contains("| `" + setting.key() + "` | `" + setting.flag())
                    .contains("`" + setting.env());
        }
    }

    /**
     * The table in docs/operations.md is the one {@link SettingsTable} writes from the declarations. Run with
     * {@code -Drendezvous.docs.write=true} to rewrite it in place after adding or changing a setting.
     */
    @Test
    void theSettingsTableIsTheOneTheDeclarationsWrite() throws Exception {
        Path doc = Path.of(System.getProperty("user.dir")).getParent().resolve("docs/operations.md");
        String text = Files.readString(doc);
        int begin = text.indexOf(SettingsTable.BEGIN);
        int end = text.indexOf(SettingsTable.END);
        assertThat(begin)
                .as("docs/operations.md holds the settings table markers")
                .isNotNegative();
        assertThat(end).as("docs/operations.md ends the settings table").isGreaterThan(begin);
        String expected = SettingsTable.markdown(ServeSettings.ALL);
        String actual = text.substring(begin, end + SettingsTable.END.length());
        if (Boolean.getBoolean("rendezvous.docs.write") && !actual.equals(expected)) {
            Files.writeString(
                    doc, text.substring(0, begin) + expected + text.substring(end + SettingsTable.END.length()));
            actual = expected;
        }
        assertThat(actual)
                .as("docs/operations.md's settings table is stale: rerun this test with -Drendezvous.docs.write=true")
                .isEqualTo(expected);
    }

    @Test
    void everyJvmOptionTheLauncherAddsIsDocumentedAndOverridable() throws Exception {
        Path root = Path.of(System.getProperty("user.dir")).getParent();
        // One source for the options: the file both the launcher and a release's bin/rendezvous source.
        String options = Files.readString(root.resolve("dist/lib/jvm-options.sh"));
        String doc = Files.readString(root.resolve("docs/operations.md"));

        Matcher all = Pattern.compile("JVM_DEFAULTS=\\(([^)]*)\\)").matcher(options);
        assertThat(all.find()).as("JVM_DEFAULTS in dist/lib/jvm-options.sh").isTrue();
        for (String array : List.of("HEAP_DEFAULTS", "NATIVE_HEAP_DEFAULTS", "GC_DEFAULTS")) {
            Matcher defaults = Pattern.compile(array + "=\\(([^)]*)\\)").matcher(options);
            assertThat(defaults.find())
                    .as(array + " in dist/lib/jvm-options.sh")
                    .isTrue();
            List<String> values = List.of(defaults.group(1).trim().split("\\s+"));
            assertThat(values).isNotEmpty();
            for (String option : values) {
                assertThat(doc).as("docs/operations.md names %s", option).contains(option);
            }
            assertThat(all.group(1)).contains("${" + array + "[@]}");
        }
        for (String script : List.of("rendezvous", "dist/bin/rendezvous")) {
            String text = Files.readString(root.resolve(script));
            assertThat(text).as(script).contains("/lib/jvm-options.sh\"");
            String exec =
                    text.lines().filter(l -> l.startsWith("exec ")).findFirst().orElseThrow();
            // The user's options come after the defaults on the java command line, so they win.
            assertThat(exec.indexOf("${JVM_DEFAULTS[@]}"))
                    .as(script)
                    .isPositive()
                    .isLessThan(exec.indexOf("RENDEZVOUS_JAVA_OPTS"));
            assertThat(exec.indexOf("${AOT_OPTS[@]}"))
                    .as(script)
                    .isPositive()
                    .isLessThan(exec.indexOf("RENDEZVOUS_JAVA_OPTS"));
        }
        assertThat(doc)
                .contains("RENDEZVOUS_AOT")
                .contains("./rendezvous train")
                .contains("./rendezvous dist");
    }
}
