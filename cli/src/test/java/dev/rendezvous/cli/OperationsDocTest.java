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
            assertThat(text).as("docs for %s", setting.key())
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
        assertThat(begin).as("docs/operations.md holds the settings table markers").isNotNegative();
        assertThat(end).as("docs/operations.md ends the settings table").isGreaterThan(begin);
        String expected = SettingsTable.markdown(ServeSettings.ALL);
        String actual = text.substring(begin, end + SettingsTable.END.length());
        if (Boolean.getBoolean("rendezvous.docs.write") && !actual.equals(expected)) {
            Files.writeString(doc, text.substring(0, begin) + expected + text.substring(end + SettingsTable.END.length()));
            actual = expected;
        }
        assertThat(actual)
                .as("docs/operations.md's settings table is stale: rerun this test with -Drendezvous.docs.write=true")
                .isEqualTo(expected);
    }

    @Test
    void everyJvmOptionTheLauncherAddsIsDocumentedAndOverridable() throws Exception {
        Path root = Path.of(System.getProperty("user.dir")).getParent();
        String launcher = Files.readString(root.resolve("rendezvous"));
        String doc = Files.readString(root.resolve("docs/operations.md"));

        String exec = launcher.lines().filter(l -> l.startsWith("exec ")).findFirst().orElseThrow();
        for (String array : List.of("HEAP_DEFAULTS", "GC_DEFAULTS")) {
            Matcher defaults = Pattern.compile(array + "=\\(([^)]*)\\)").matcher(launcher);
            assertThat(defaults.find()).as(array + " in ./rendezvous").isTrue();
            List<String> options = List.of(defaults.group(1).trim().split("\\s+"));
            assertThat(options).isNotEmpty();
            for (String option : options) {
                assertThat(doc).as("docs/operations.md names %s", option).contains(option);
            }
            // The user's options come after the defaults on the java command line, so they win.
            assertThat(exec.indexOf("${" + array + "[@]}")).isPositive().isLessThan(exec.indexOf("RENDEZVOUS_JAVA_OPTS"));
        }
        assertThat(exec.indexOf("${AOT_OPTS[@]}")).isPositive().isLessThan(exec.indexOf("RENDEZVOUS_JAVA_OPTS"));
        assertThat(doc).contains("RENDEZVOUS_AOT").contains("./rendezvous train");
    }
}
