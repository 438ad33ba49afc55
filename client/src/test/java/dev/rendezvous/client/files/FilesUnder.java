package dev.rendezvous.client.files;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** What a transfer left on disk: tests prove with it that nothing was written outside the target. */
final class FilesUnder {
    private FilesUnder() {}

    /** Every regular file under {@code root}, relative to it, sorted. */
    static List<String> relativePaths(Path root) throws IOException {
        try (Stream<Path> all = Files.walk(root)) {
            return all.filter(Files::isRegularFile)
                    .map(p -> root.relativize(p).toString())
                    .sorted()
                    .toList();
        }
    }
}
