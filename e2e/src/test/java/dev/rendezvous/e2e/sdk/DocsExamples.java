package dev.rendezvous.e2e.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.rendezvous.testing.ServerExtension;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The examples of {@code docs/sdk-js.md}, read from the doc at test time (so the doc and its tests cannot
 * drift), and a plain HTTP server on 127.0.0.1 that serves one as a page from another origin than the
 * signaling server's, as a developer's {@code python3 -m http.server} would.
 */
final class DocsExamples implements AutoCloseable {
    static final Path DOC = Path.of("../docs/sdk-js.md");
    /** The server address the doc's examples use; a test puts its own server's in its place. */
    static final String DOC_SERVER = "http://127.0.0.1:8765";

    private final HttpServer site;
    private final String name;

    private DocsExamples(HttpServer site, String name) {
        this.site = site;
        this.name = name;
    }

    /** The first html block under the doc's heading {@code heading}, exactly as written. */
    static String htmlBlock(String heading) throws IOException {
        String doc = Files.readString(DOC);
        int at = doc.indexOf("## " + heading);
        assertThat(at).as("a section \"%s\" in %s", heading, DOC).isNotNegative();
        Matcher block = Pattern.compile("```html\\n(.*?)```", Pattern.DOTALL).matcher(doc.substring(at));
        assertThat(block.find())
                .as("an html block in the section \"%s\" of %s", heading, DOC)
                .isTrue();
        return block.group(1);
    }

    /**
     * Serves the html block under {@code heading} at {@code /<name>}, with {@code server}'s address in place
     * of the doc's; the block must be at most {@code maxLines} long (the length its heading promises).
     */
    static DocsExamples serveExample(ServerExtension server, String heading, int maxLines, String name)
            throws IOException {
        String html = htmlBlock(heading);
        assertThat(html.lines().count())
                .as("the length of the example \"%s\"", heading)
                .isLessThanOrEqualTo(maxLines);
        String origin = server.httpUri("/").toString().replaceAll("/$", "");
        return serve(name, html.replace(DOC_SERVER, origin));
    }

    /** Serves {@code html} at {@code /<name>} on 127.0.0.1 (anything else is a 404). */
    static DocsExamples serve(String name, String html) throws IOException {
        byte[] page = html.getBytes(StandardCharsets.UTF_8);
        HttpServer site = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        site.createContext("/", exchange -> {
            byte[] body = exchange.getRequestURI().getPath().equals("/" + name) ? page : new byte[0];
            exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
            exchange.sendResponseHeaders(body.length > 0 ? 200 : 404, body.length > 0 ? body.length : -1);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        site.start();
        return new DocsExamples(site, name);
    }

    /** The page's address. */
    String url() {
        return "http://127.0.0.1:" + site.getAddress().getPort() + "/" + name;
    }

    @Override
    public void close() {
        site.stop(0);
    }
}
