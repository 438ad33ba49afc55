package dev.rendezvous.cli;

import ch.qos.logback.classic.LoggerContext;
import dev.rendezvous.server.BindFailedException;
import dev.rendezvous.server.SignalingServer;
import dev.rendezvous.server.config.ConfigFile;
import dev.rendezvous.server.config.ConfigLayers;
import dev.rendezvous.server.config.InvalidConfigException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code rendezvous serve}: runs the signaling server until SIGTERM or Ctrl-C, then shuts it down
 * gracefully (every session closed with 1001, bounded by {@code --shutdown-timeout-ms}).
 *
 * <p>Every setting comes from, in order of precedence: its flag, its environment variable
 * (e.g. {@code RENDEZVOUS_PORT}), the YAML file of {@code --config}, its
 * default. {@link ServeSettings} declares each setting once; {@link SettingOptions} makes the flags from
 * those declarations, so this class declares only the flags that are not settings.
 */
@Command(
        name = "serve",
        mixinStandardHelpOptions = true,
        modelTransformer = SettingOptions.class,
        sortOptions = false,
        header = "Runs the signaling server: lobby, rooms, the page, /healthz and /metrics.",
        description = {
            "Runs the signaling server (WebSocket lobby at /ws and /, rooms at /ws/{room}, /healthz, /metrics,",
            "/api/ice-servers, web client at /).",
            "Precedence: flags > environment (each flag names its variable, e.g. RENDEZVOUS_PORT=9000) > --config FILE (YAML) > defaults.",
            "Invalid configuration fails at start naming the setting; exit status 2."
        })
final class ServeCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--config", paramLabel = "FILE", description = "YAML configuration file (env: RENDEZVOUS_CONFIG).")
    Path configFile;

    @Option(names = "--print-config", description = "Print the effective configuration (secrets masked) and exit.")
    boolean printConfig;

    private final Map<String, String> environment;

    ServeCommand() {
        this(System.getenv());
    }

    ServeCommand(Map<String, String> environment) {
        this.environment = environment;
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ServeSettings.Built built;
        ConfigLayers layers;
        try {
            layers = layers();
            if (printConfig) {
                out.print(layers.render(ServeSettings.ALL));
                out.flush();
                return 0;
            }
            built = ServeSettings.build(layers, Clock.systemUTC());
        } catch (InvalidConfigException e) {
            err.println("rendezvous serve: invalid configuration: " + e.getMessage());
            err.flush();
            return 2;
        }
        SignalingServer server;
        try {
            server = SignalingServer.start(built.config());
        } catch (BindFailedException e) {
            built.blockingWork().shutdown();
            LoggerFactory.getLogger(ServeCommand.class).debug("bind failed", e);
            err.println("rendezvous serve: " + e.getMessage() + ": "
                    + switch (e.reason()) {
                        case PORT_IN_USE -> "stop the other server or use --port 0 (any free port)";
                        case ADDRESS_NOT_HERE -> "use --host 127.0.0.1, 0.0.0.0 or one of this machine's addresses";
                        case PERMISSION_DENIED -> "use a port above 1023";
                        case OTHER -> "check --host and --port";
                    });
            err.flush();
            return 1;
        } catch (RuntimeException e) {
            built.blockingWork().shutdown();
            err.println("rendezvous serve: cannot start: " + e.getMessage());
            err.flush();
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            server.close();
                            built.blockingWork().shutdown();
                            stopped.countDown();
                            if (LoggerFactory.getILoggerFactory() instanceof LoggerContext logback) {
                                logback.stop(); // flush the async appender before the JVM halts
                            }
                        },
                        "rendezvous-shutdown"));
        out.println("Rendezvous listening on " + server.lobbyUri() + " (" + server.httpUri() + ")");
        ServeBanner.hints(server.httpUri()).forEach(out::println);
        out.flush();
        stopped.await();
        return 0;
    }

    /** The four layers: flags given on this command line, the environment, the config file, defaults. */
    ConfigLayers layers() {
        Optional<Path> file = Optional.ofNullable(configFile)
                .or(() -> Optional.ofNullable(environment.get("RENDEZVOUS_CONFIG"))
                        .filter(s -> !s.isBlank())
                        .map(Path::of));
        return new ConfigLayers(
                ConfigLayers.flagValues(SettingOptions.given(spec)),
                environment,
                file.map(f -> ConfigFile.read(f, ServeSettings.keys())).orElse(Map.of()),
                file);
    }
}
