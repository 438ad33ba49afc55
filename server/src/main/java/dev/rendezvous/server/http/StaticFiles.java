package dev.rendezvous.server.http;

import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The web client's files, read from the classpath under {@code web/} (the web module's jar) and
 * cached in memory. {@code /} is {@code web/index.html}; paths with {@code ..}, backslashes or hidden
 * segments are never served.
 */
public final class StaticFiles {
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

    /** Files under classpath folder {@code root} (e.g. {@code "web"}). */
    public StaticFiles(String root, ClassLoader loader) {
        this.root = root;
        this.loader = loader;
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
        Optional<byte[]> file = cached != null ? Optional.of(cached) : load(name);
        file.ifPresent(body -> cache.putIfAbsent(name, body)); // only hits are cached: misses cannot grow it
        return file.map(body -> {
            FullHttpResponse r = HttpResponses.of(HttpResponseStatus.OK, contentType(name), body);
            r.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-cache");
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

    private Optional<byte[]> load(String relative) {
        try (InputStream in = loader.getResourceAsStream(root + "/" + relative)) {
            return in == null ? Optional.empty() : Optional.of(in.readAllBytes());
        } catch (IOException e) {
            return Optional.empty(); // a directory entry or unreadable resource: not a file to serve
        }
    }
}
