package dev.rendezvous.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;

/**
 * A copy of the source checkout's built layout for tests of the launcher scripts: {@code ./rendezvous},
 * {@code dist/} and {@code cli/target/rendezvous.jar} with its {@code lib/}, made from this test's class path
 * (the tests run before Maven packages the jar), plus the build stamp, so the launcher builds nothing.
 */
final class BuiltLayout {
    private BuiltLayout() {}

    /** The project's root: the cli module's parent. */
    static Path project() {
        return Path.of(System.getProperty("user.dir")).toAbsolutePath().getParent();
    }

    /** The cli module's compiled classes. */
    static Path classes() {
        return Path.of(System.getProperty("user.dir"), "target", "classes").toAbsolutePath();
    }

    /** Makes the layout under {@code root}; returns the jar ({@code root/cli/target/rendezvous.jar}). */
    static Path create(Path root) throws IOException {
        Path project = project();
        Path target = Files.createDirectories(root.resolve("cli/target"));
        Path lib = Files.createDirectories(target.resolve("lib"));
        Files.copy(project.resolve("rendezvous"), root.resolve("rendezvous"), StandardCopyOption.COPY_ATTRIBUTES);
        copyTree(project.resolve("dist"), root.resolve("dist"));
        Path classes = classes();
        List<String> libNames = new ArrayList<>();
        for (String entry : classPath()) {
            Path p = Path.of(entry).toAbsolutePath();
            if (p.equals(classes) || p.endsWith("test-classes")) {
                continue;
            }
            String name = "dep-" + libNames.size() + "-" + p.getFileName() + (Files.isDirectory(p) ? ".jar" : "");
            if (Files.isDirectory(p)) {
                jarOf(p, lib.resolve(name), null, false);
            } else if (Files.isRegularFile(p)) {
                Files.createSymbolicLink(lib.resolve(name), p);
            } else {
                continue;
            }
            libNames.add("lib/" + name);
        }
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, "dev.rendezvous.cli.Main");
        manifest.getMainAttributes().put(Attributes.Name.CLASS_PATH, String.join(" ", libNames));
        Path jar = target.resolve("rendezvous.jar");
        jarOf(classes, jar, manifest, false);
        Files.writeString(
                target.resolve(".rendezvous-build-stamp"), ""); // no sources here: the launcher builds nothing
        return jar;
    }

    /**
     * Writes the files under {@code dir} into {@code jarFile} (replacing it); {@code rebuilt} adds an entry
     * of its own, so that the jar's content differs from any earlier one of the same classes.
     */
    static void jarOf(Path dir, Path jarFile, Manifest manifest, boolean rebuilt) throws IOException {
        Path tmp = Files.createTempFile(jarFile.getParent(), "jar", ".tmp");
        try (OutputStream file = Files.newOutputStream(tmp);
                JarOutputStream out =
                        manifest == null ? new JarOutputStream(file) : new JarOutputStream(file, manifest);
                Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                String name = dir.relativize(f).toString().replace('\\', '/');
                if (name.equals("META-INF/MANIFEST.MF")) {
                    continue;
                }
                out.putNextEntry(new JarEntry(name));
                Files.copy(f, out);
                out.closeEntry();
            }
            if (rebuilt) {
                out.putNextEntry(new JarEntry("rebuilt-" + System.nanoTime()));
                out.closeEntry();
            }
        }
        Files.move(tmp, jarFile, StandardCopyOption.REPLACE_EXISTING);
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : files.toList()) {
                Path dest = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(dest);
                } else {
                    Files.copy(f, dest, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }

    /** The entries of this JVM's class path (a manifest-only booter jar is expanded). */
    private static List<String> classPath() throws IOException {
        List<String> entries =
                new ArrayList<>(List.of(System.getProperty("java.class.path").split(java.io.File.pathSeparator)));
        if (entries.size() == 1 && entries.getFirst().endsWith(".jar")) {
            try (JarFile booter = new JarFile(entries.getFirst())) {
                String cp = booter.getManifest() == null
                        ? null
                        : booter.getManifest().getMainAttributes().getValue(Attributes.Name.CLASS_PATH);
                if (cp != null) {
                    entries = Stream.of(cp.split(" "))
                            .map(u -> Path.of(URI.create(u)).toString())
                            .toList();
                }
            }
        }
        return entries;
    }
}
