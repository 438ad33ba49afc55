package dev.rendezvous.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Page;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Geometry checks of the page as laid out in the browser: no sideways scroll, and each key element
 * inside the viewport, not cut off by an ancestor that clips or scrolls its overflow, and not cutting off
 * its own content (an ellipsis, a child spilling out). Each check returns the problems found, as
 * sentences; an empty list means the layout holds.
 */
final class PageLayout {

    /** Runs in the page: argument {selectors, contained: [[inner, outer]…]}; returns a list of problems. */
    private static final String CHECK = """
            ({ selectors, contained }) => {
              const problems = [];
              const vw = window.innerWidth;
              const vh = window.innerHeight;
              const tol = 0.5;
              const name = (el) => el.id ? '#' + el.id : el.tagName.toLowerCase() + (el.className ? '.' + String(el.className).trim().split(/\\s+/).join('.') : '');
              const box = (r) => `[${Math.round(r.left)},${Math.round(r.top)} ${Math.round(r.width)}x${Math.round(r.height)}]`;
              const pageWidth = document.documentElement.scrollWidth;
              if (pageWidth > vw) problems.push(`the page is ${pageWidth} px wide in a ${vw} px viewport (sideways scroll)`);
              for (const selector of selectors) {
                const elements = [...document.querySelectorAll(selector)];
                if (!elements.length) { problems.push(`${selector}: not on the page`); continue; }
                for (const el of elements) {
                  const label = elements.length > 1 ? `${selector} (${name(el)})` : selector;
                  if (!el.checkVisibility()) { problems.push(`${label}: not visible`); continue; }
                  el.scrollIntoView({ block: 'nearest', inline: 'nearest' });
                  const r = el.getBoundingClientRect();
                  if (r.width < 1 || r.height < 1) { problems.push(`${label}: has no size ${box(r)}`); continue; }
                  if (r.left < -tol || r.right > vw + tol) problems.push(`${label}: ${box(r)} sticks out sideways of the ${vw} px viewport`);
                  if (r.height <= vh && (r.top < -tol || r.bottom > vh + tol)) problems.push(`${label}: ${box(r)} does not fit in the ${vh} px viewport`);
                  for (let a = el.parentElement; a && a !== document.documentElement && a !== document.body; a = a.parentElement) {
                    const style = getComputedStyle(a);
                    const clipsX = style.overflowX !== 'visible';
                    const clipsY = style.overflowY !== 'visible';
                    if (!clipsX && !clipsY) continue;
                    const ar = a.getBoundingClientRect();
                    const left = ar.left + a.clientLeft;
                    const top = ar.top + a.clientTop;
                    if (clipsX && (r.left < left - tol || r.right > left + a.clientWidth + tol)) problems.push(`${label}: ${box(r)} cut off sideways by ${name(a)} ${box(ar)}`);
                    if (clipsY && r.height <= a.clientHeight && (r.top < top - tol || r.bottom > top + a.clientHeight + tol)) problems.push(`${label}: ${box(r)} cut off by ${name(a)} ${box(ar)}`);
                  }
                  if (el.tagName !== 'INPUT' && el.scrollWidth > el.clientWidth + 1) problems.push(`${label}: its content is ${el.scrollWidth} px wide in ${el.clientWidth} px (cut off or spilling out)`);
                }
              }
              for (const [inner, outer] of contained) {
                const i = document.querySelector(inner);
                const o = i && i.closest(outer);
                if (!i || !o) { problems.push(`${inner} inside ${outer}: not on the page`); continue; }
                const ir = i.getBoundingClientRect();
                const or = o.getBoundingClientRect();
                if (ir.left < or.left - tol || ir.right > or.right + tol || ir.top < or.top - tol || ir.bottom > or.bottom + tol) {
                  problems.push(`${inner} ${box(ir)} spills out of ${outer} ${box(or)}`);
                }
              }
              window.scrollTo(0, 0);
              return problems;
            }
            """;

    /** Visible height of one element at the top of the page (scrolled to 0), over the viewport height. */
    private static final String VISIBLE_SHARE = """
            (selector) => {
              window.scrollTo(0, 0);
              const r = document.querySelector(selector).getBoundingClientRect();
              return Math.max(0, Math.min(r.bottom, window.innerHeight) - Math.max(r.top, 0)) / window.innerHeight;
            }
            """;

    private PageLayout() {}

    /**
     * Asserts the layout of {@code page} in {@code state} (e.g. "lobby chat"): no problem with the page width,
     * with each element matching {@code selectors} or with the {@code contained} pairs; then leaves a
     * viewport screenshot {@code <prefix>-<width>x<height>-<state, dashed>.png} of exactly the viewport's size.
     */
    static void assertFits(
            Page page, String prefix, String state, List<String> selectors, List<List<String>> contained) {
        String size = page.viewportSize().width + "x" + page.viewportSize().height;
        assertThat(problems(page, selectors, contained)).as(size + " " + state).isEmpty();
        String name = prefix + "-" + size + "-" + state.replace(' ', '-');
        assertThat(pngSize(screenshot(page, name)))
                .as(name + ".png size")
                .containsExactly(page.viewportSize().width, page.viewportSize().height);
    }

    /** Problems with the page width and with each element matching {@code selectors}. */
    @SuppressWarnings("unchecked")
    static List<String> problems(Page page, List<String> selectors, List<List<String>> contained) {
        return (List<String>) page.evaluate(CHECK, Map.of("selectors", selectors, "contained", contained));
    }

    /** Share of the viewport's height the element shows when the page is scrolled to the top. */
    static double visibleShare(Page page, String selector) {
        return ((Number) page.evaluate(VISIBLE_SHARE, selector)).doubleValue();
    }

    /** A viewport screenshot (never full-page: its width is the viewport's, at one pixel per CSS pixel). */
    static Path screenshot(Page page, String name) {
        page.evaluate("() => window.scrollTo(0, 0)");
        Path target = Artifacts.screenshot(name);
        page.screenshot(new Page.ScreenshotOptions().setPath(target).setFullPage(false));
        return target;
    }

    /** Width and height of a PNG file, from its IHDR chunk. */
    static int[] pngSize(Path png) {
        try {
            ByteBuffer header = ByteBuffer.wrap(Files.readAllBytes(png), 16, 8);
            return new int[] {header.getInt(), header.getInt()};
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
