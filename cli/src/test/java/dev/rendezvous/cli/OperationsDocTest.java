package dev.rendezvous.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rendezvous.server.config.Setting;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** docs/operations.md lists every setting of `rendezvous serve` under its three names. */
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
}
