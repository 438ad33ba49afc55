package dev.rendezvous.e2e.sdk;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.WebSocketRoute;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Sits between a page and the server on the signaling WebSocket (Playwright's WebSocket routing) and can
 * hold what the page sends, in order, until released: the way to make two offers cross for certain.
 * Playwright runs the routing callbacks on the test thread while it is inside a Playwright call, so the
 * state here needs no lock; a test using a tap must wait only through Playwright calls.
 */
final class SignalingTap {
    private WebSocketRoute server;
    private boolean holding;
    private final List<String> held = new ArrayList<>();

    private SignalingTap() {}

    /** Routes every signaling WebSocket the page opens from now on. */
    static SignalingTap install(Page page) {
        SignalingTap tap = new SignalingTap();
        page.routeWebSocket(Pattern.compile(".*/ws(/[^?]*)?(\\?.*)?$"), route -> {
            WebSocketRoute toServer = route.connectToServer();
            tap.server = toServer;
            route.onMessage(frame -> tap.fromPage(frame.text()));
            toServer.onMessage(frame -> route.send(frame.text()));
        });
        return tap;
    }

    void hold() {
        holding = true;
    }

    /** How many held frames are offers. */
    long heldOffers() {
        return held.stream().filter(text -> text.contains("\"type\":\"offer\"")).count();
    }

    /** Sends everything held, in order, and passes frames straight on again. */
    void release() {
        holding = false;
        for (String text : held) server.send(text);
        held.clear();
    }

    private void fromPage(String text) {
        if (holding) held.add(text);
        else server.send(text);
    }
}
