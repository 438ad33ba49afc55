package dev.rendezvous.e2e.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The SDK's types hold: the TypeScript examples of {@code docs/sdk-js.md} ({@code src/test/typescript})
 * compile in strict mode against the package (its {@code package.json} {@code types} and
 * {@code rendezvous.d.ts}), and {@code npm pack} of the SDK folder ships the module and its types.
 * The build installs TypeScript beforehand (the {@code npm install} step in e2e/pom.xml); this test
 * itself needs no network.
 */
class TypeScriptExampleTest {
    private static final Path PROJECT = Paths.get("src/test/typescript");
    private static final Path SDK = Paths.get("../web/src/main/resources/web/sdk");

    @Test
    void theExamplesCompileAgainstTheDeclarations() throws Exception {
        Path out = Paths.get("target/typescript-out");
        deleteIfExists(out.resolve("chat.js"));
        deleteIfExists(out.resolve("video-call.js"));

        Result tsc = run(PROJECT, "node", "node_modules/typescript/bin/tsc", "-p", "tsconfig.json");

        assertThat(tsc.exitCode()).as("tsc output:%n%s", tsc.output()).isZero();
        assertThat(out.resolve("chat.js")).exists();
        assertThat(out.resolve("video-call.js")).content().contains("rv.addStream(camera)");
    }

    @Test
    void npmPackShipsTheModuleAndItsTypes() throws Exception {
        Result pack = run(SDK, "npm", "pack", "--dry-run", "--json", "--offline");

        assertThat(pack.exitCode()).as("npm pack output:%n%s", pack.output()).isZero();
        assertThat(pack.output())
                .contains(
                        "\"name\": \"rendezvous-sdk\"",
                        "\"path\": \"rendezvous.js\"",
                        "\"path\": \"rendezvous.d.ts\"",
                        "\"path\": \"connection.js\"",
                        "\"path\": \"negotiation.js\"",
                        "\"path\": \"signaling.js\"",
                        "\"path\": \"package.json\"");
    }

    private record Result(int exitCode, String output) {}

    private static Result run(Path directory, String... command) throws IOException, InterruptedException {
        List<String> line = new ArrayList<>(List.of(command));
        ProcessBuilder builder =
                new ProcessBuilder(line).directory(directory.toFile()).redirectErrorStream(true);
        builder.environment().put("NO_UPDATE_NOTIFIER", "1");
        builder.environment().put("npm_config_update_notifier", "false");
        Process process = builder.start();
        try {
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(process.waitFor(120, TimeUnit.SECONDS))
                    .as("%s finished", line)
                    .isTrue();
            return new Result(process.exitValue(), output);
        } finally {
            process.destroyForcibly();
        }
    }

    private static void deleteIfExists(Path file) throws IOException {
        Files.deleteIfExists(file);
    }
}
