package dev.rendezvous.e2e;

import com.microsoft.playwright.Page;
import java.util.Map;

/**
 * Logic tests of the web client's own modules ({@code /js/*.js}) in Chromium, one fresh page per run: a page
 * at a static file of the test's server (any document the server serves gives the page the origin its
 * modules are imported from), prepared by a setup function (the module under test, fakes, globals), on which
 * one function body runs and hands back the object it returns.
 *
 * <p>Threading: JUnit's thread only, as for the page.
 */
final class ModuleHarness {
    private ModuleHarness() {}

    /** Runs {@code setup} (a function, possibly async) on a fresh page, then {@code body} as an async function's body. */
    static Map<String, Object> run(E2eFixture e2e, String setup, String body) {
        Page page = e2e.openPage("/css/rendezvous.css");
        page.evaluate(setup);
        return map(page.evaluate("async () => {\n" + body + "\n}"));
    }

    /** A JavaScript object as Playwright hands it over. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object value) {
        return (Map<String, Object>) value;
    }
}
