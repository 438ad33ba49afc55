package dev.rendezvous.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/** Where tests leave files for people to look at: screenshots and exported logs, beside the test reports. */
public final class Artifacts {

    private Artifacts() {}

    public static Path screenshot(String name) {
        return file("screenshots", name + ".png");
    }

    static Path exportedLog(String name) {
        return file("exported-logs", name + ".json");
    }

    private static Path file(String folder, String name) {
        Path root = Paths.get(System.getProperty("rendezvous.e2e.artifacts", "target/surefire-reports"));
        Path directory = root.resolve(folder);
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return directory.resolve(name);
    }
}
