package dev.rendezvous.server.http;

import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.IOException;
import java.io.InputStream;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The web client's files, read from the classpath under {@code web/} (the web module's jar) into
 * memory when the server starts — they are small, and requests are answered on an event loop, which
 * must never read a jar. {@code /} is {@code web/index.html}; paths with {@code ..}, backslashes or
 * hidden segments are never served. Only where the classpath location cannot be listed (neither a
 * directory nor a jar) are files read on first request instead.
 */
public final class StaticFiles {
    private static final Logger log = LoggerFactory.getLogger(StaticFiles.class);
    private static final Map<String, String> TYPES = Map.ofEntries(
            Map.entry("html", "text/html; charset=utf-8"),
            Map.entry("htm", "text/html; charset=utf-8"),
            Map.entry("js", "text/javascript; charset=utf-8"),
            Map.entry("mjs", "text/javascript; charset=utf-8"),
            Map.entry("css", "text/css; charset=utf-8"),
            Map.entry("json", "application/json"),
            Map.entry("map", "application/json"),
            Map.entry("svg", "image/svg+xml"),
            Map.entry("png", "image/png"),
            Map.entry("jpg", "image/jpeg"),
            Map.entry("jpeg", "image/jpeg"),
            Map.entry("gif", "image/gif"),
            Map.entry("ico", "image/x-icon"),
            Map.entry("webp", "image/webp"),
            Map.entry("txt", "text/plain; charset=utf-8"),
            Map.entry("wasm", "application/wasm"),
            Map.entry("woff2", "font/woff2"));

    private final String root;
    private final ClassLoader loader;
    private final Map<String, byte[]> cache = new ConcurrentHashMap<>();
    /** Every file under {@link #root} is in {@link #cache}: a miss is a 404 without a classpath lookup. */
    private final boolean preloaded;

    /** Files under classpath folder {@code root} (e.g. {@code "web"}), read now. */
    public StaticFiles(String root, ClassLoader loader) {
        this.root = root;
        this.loader = loader;
        this.preloaded = preload();
    }

    /** The response for a decoded request path, or empty when there is no such file. */
    public Optional<FullHttpResponse> respond(String path) {
        String relative = path.equals("/") || path.isEmpty() ? "index.html" : path.substring(1);
        if (relative.endsWith("/")) {
            relative = relative + "index.html";
        }
        if (!safe(relative)) {
            return Optional.empty();
        }
        String name = relative;
        byte[] cached = cache.get(name);
        Optional<byte[]> file = cached != null || preloaded ? Optional.ofNullable(cached) : load(name);
        file.ifPresent(body -> cache.putIfAbsent(name, body)); // only hits are cached: misses cannot grow it
        return file.map(body -> {
            FullHttpResponse r = HttpResponses.of(HttpResponseStatus.OK, contentType(name), body);
            r.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-cache");
            if (name.startsWith("sdk/")) {
                // The browser SDK is imported as a module by pages on other origins (module scripts use CORS).
                r.headers().set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, "*");
            }
            return r;
        });
    }

    static String contentType(String name) {
        int dot = name.lastIndexOf('.');
        String ext = dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
        return TYPES.getOrDefault(ext, "application/octet-stream");
    }

    private static boolean safe(String relative) {
        if (relative.contains("\\") || relative.contains("\0")) {
            return false;
        }
        for (String segment : relative.split("/", -1)) {
            if (segment.isEmpty() || segment.startsWith(".")) {
                return false; // "..", ".hidden", "//"
            }
        }
        return true;
    }

    /** Reads every file under {@link #root} into the cache; false when some location could not be listed. */
    private boolean preload() {
        try {
            Enumeration<URL> locations = loader.getResources(root);
            boolean listed = false;
            while (locations.hasMoreElements()) {
                URL url = locations.nextElement();
                switch (url.getProtocol()) {
                    case "file" -> preloadDirectory(Path.of(url.toURI()));
                    case "jar" -> preloadJar((JarURLConnection) url.openConnection());
                    default -> {
                        log.info("web files at {} are read on first request (cannot list them)", url);
                        return false;
                    }
                }
                listed = true;
            }
            return listed;
        } catch (IOException | URISyntaxException | RuntimeException e) { // also UncheckedIOException from a walk
            log.warn("web files could not be preloaded; reading them on first request", e);
            return false;
        }
    }

    private void preloadDirectory(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                String name =
                        dir.relativize(f).toString().replace(f.getFileSystem().getSeparator(), "/");
                cache.putIfAbsent(name, Files.readAllBytes(f)); // the first classpath location wins, as in getResource
            }
        }
    }

    private void preloadJar(JarURLConnection connection) throws IOException {
        connection.setUseCaches(false);
        String prefix = root + "/";
        try (JarFile jar = connection.getJarFile()) {
            for (JarEntry e : (Iterable<JarEntry>) jar.stream()::iterator) {
                if (!e.isDirectory() && e.getName().startsWith(prefix)) {
                    try (InputStream in = jar.getInputStream(e)) {
                        cache.putIfAbsent(e.getName().substring(prefix.length()), in.readAllBytes());
                    }
                }
            }
        }
    }

    private Optional<byte[]> load(String relative) {
        try (InputStream in = loader.getResourceAsStream(root + "/" + relative)) {
            return in == null ? Optional.empty() : Optional.of(in.readAllBytes());
        } catch (IOException e) {
            return Optional.empty(); // a directory entry or unreadable resource: not a file to serve
        }
    }
}
