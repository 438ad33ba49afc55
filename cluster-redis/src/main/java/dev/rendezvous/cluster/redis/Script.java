package dev.rendezvous.cluster.redis;

import io.lettuce.core.ScriptOutputType;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** The Lua scripts of the backplane (resources next to this class), each prefixed with {@code common.lua}. */
enum Script {
    REGISTER(ScriptOutputType.INTEGER),
    JOIN(ScriptOutputType.INTEGER),
    PAIR(ScriptOutputType.VALUE),
    UNPAIR(ScriptOutputType.INTEGER),
    DEPART(ScriptOutputType.INTEGER),
    HEARTBEAT(ScriptOutputType.INTEGER),
    CLEANUP(ScriptOutputType.MULTI),
    LEAVE(ScriptOutputType.INTEGER),
    RESYNC(ScriptOutputType.MULTI),
    SNAPSHOT(ScriptOutputType.MULTI),
    VERIFY(ScriptOutputType.MULTI),
    VIEW_PUBLISH(ScriptOutputType.INTEGER),
    VIEWS(ScriptOutputType.MULTI),
    /** v1.1: the live node holding an id ({@link ResumeTunnels}). */
    OWNER(ScriptOutputType.VALUE),
    /** v1.1: which of the given nodes stopped heartbeating ({@link ResumeTunnels}). */
    DEAD(ScriptOutputType.MULTI),
    /** Delivery by id to the node holding it ({@link DirectDelivery}). */
    DELIVER(ScriptOutputType.INTEGER),
    /** A watch on an id held nowhere ({@link DirectDelivery}). */
    WATCH(ScriptOutputType.INTEGER),
    /** Tells the nodes watching an id that it registered ({@link DirectDelivery}). */
    ARRIVE(ScriptOutputType.INTEGER);

    final ScriptOutputType output;
    final String text;

    Script(ScriptOutputType output) {
        this.output = output;
        this.text = load("common.lua") + "\n" + load(name().toLowerCase(Locale.ROOT) + ".lua");
    }

    private static String load(String name) {
        try (InputStream in = Script.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing script resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
