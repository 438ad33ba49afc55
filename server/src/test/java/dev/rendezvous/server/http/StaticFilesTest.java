package dev.rendezvous.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.FullHttpResponse;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The web files are read when the server starts, never on an event loop at request time: proven by
 * deleting them after construction and still serving them.
 */
class StaticFilesTest {
    @TempDir
    Path tmp;

    @Test
    void filesFromADirectoryAreReadAtStart() throws Exception {
        Path web = Files.createDirectories(tmp.resolve("classes/web/js"));
        Files.writeString(web.getParent().resolve("index.html"), "<h1>hi</h1>");
        Files.writeString(web.resolve("app.js"), "go()");
        try (URLClassLoader loader =
                new URLClassLoader(new URL[] {tmp.resolve("classes").toUri().toURL()}, null)) {
            StaticFiles files = new StaticFiles("web", loader);
            Files.delete(web.resolve("app.js"));
            Files.delete(web.getParent().resolve("index.html"));
            assertThat(body(files.respond("/"))).isEqualTo("<h1>hi</h1>");
            assertThat(body(files.respond("/js/app.js"))).isEqualTo("go()");
            assertThat(files.respond("/missing.js")).isEmpty();
            assertThat(files.respond("/../web/index.html")).isEmpty();
        }
    }

    @Test
    void filesFromAJarAreReadAtStart() throws Exception {
        Path jar = tmp.resolve("web.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            out.putNextEntry(new JarEntry("web/"));
            out.closeEntry();
            entry(out, "web/index.html", "<h1>jar</h1>");
            entry(out, "web/css/app.css", "body{}");
            entry(out, "other/secret.txt", "no");
        }
        try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, null)) {
            StaticFiles files = new StaticFiles("web", loader);
            Files.delete(jar);
            assertThat(body(files.respond("/index.html"))).isEqualTo("<h1>jar</h1>");
            assertThat(body(files.respond("/css/app.css"))).isEqualTo("body{}");
            assertThat(files.respond("/secret.txt")).isEmpty();
        }
    }

    private static void entry(JarOutputStream out, String name, String text) throws Exception {
        out.putNextEntry(new JarEntry(name));
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.closeEntry();
    }

    private static String body(Optional<FullHttpResponse> response) {
        assertThat(response).isPresent();
        FullHttpResponse r = response.get();
        try {
            return r.content().toString(StandardCharsets.UTF_8);
        } finally {
            r.release();
        }
    }
}
