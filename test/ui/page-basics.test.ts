/**
 * The debugger page in Chromium over the local stack, what every view stands on: served at `/`,
 * a sign-in reached and sent from the keyboard (a wrong key refused with the service's words, the
 * right one kept in this browser's storage and never put in a URL), and the page at 1280x800 and
 * 390x844 (no sideways scroll) in light and dark, each following the system's choice.
 */
import type { Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { chromiumMissing } from "./browser.js";
import { DESKTOP, PHONE, sideScroll, startDebugger, type Debugger } from "./debugger.js";

/** The relative luminance (WCAG) of the body's background and text colours, as computed. */
async function luminances(page: Page): Promise<{ background: number; text: number }> {
  const [background, text] = await page.evaluate<[string, string]>("[getComputedStyle(document.body).backgroundColor, getComputedStyle(document.body).color]");
  const luminance = (css: string) => {
    const [r, g, b] = css.match(/\d+(\.\d+)?/g)!.slice(0, 3).map((part) => {
      const c = Number(part) / 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    }) as [number, number, number];
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  return { background: luminance(background), text: luminance(text) };
}

describe.skipIf(chromiumMissing("the debugger page in Chromium"))("the debugger page: sign-in, keyboard, sizes and colour schemes", () => {
  let ui: Debugger;
  beforeAll(async () => {
    ui = await startDebugger("page-basics");
  }, 120_000);
  afterAll(() => ui?.close());
  afterEach(() => expect(ui.takeProblems()).toEqual([]));

  it("is served at / and signs in from the keyboard: Tab to the key, Enter sends it; a wrong key is refused with the service's words", async () => {
    const page = await ui.open({ signedIn: false });
    expect(await page.title()).toBe("cvflow");
    await page.keyboard.press("Tab");
    expect(await page.evaluate<string | null>("document.activeElement.getAttribute('name')")).toBe("api-key");
    await ui.shot(page, "sign-in");

    await page.keyboard.type("not-a-key-of-this-workspace");
    await ui.tolerating(/status of 401/, async () => {
      await page.keyboard.press("Enter");
      await page.getByRole("alert").waitFor();
    });
    expect(await page.getByRole("alert").textContent()).toBe("unauthorized: The API key is not valid");
    expect(await page.evaluate<string | null>("localStorage.getItem('cvflow.apiKey')")).toBeNull();
    await ui.shot(page, "wrong-key");

    // Still in the field: select what was typed, type the key over it, send with Enter.
    await page.getByLabel("API key").focus();
    await page.keyboard.press("ControlOrMeta+A");
    await page.keyboard.type(ui.stack.apiKey);
    await page.keyboard.press("Enter");
    await expect.poll(() => page.getByTestId("workspace").textContent()).toBe(ui.stack.workspace);
    expect(await page.evaluate<string | null>("localStorage.getItem('cvflow.apiKey')")).toBe(ui.stack.apiKey);
    expect(page.url()).not.toContain(ui.stack.apiKey);
    await ui.shot(page, "signed-in");

    // The section links come next in the tab order, each a real link that shows its focus.
    await page.keyboard.press("Tab");
    await page.keyboard.press("Tab");
    const focused = await page.evaluate<{ tag: string; text: string; outline: string }>(
      "({ tag: document.activeElement.tagName, text: document.activeElement.textContent, outline: getComputedStyle(document.activeElement).outlineStyle })",
    );
    expect(focused).toEqual({ tag: "A", text: "Workflows", outline: "solid" });
    await page.keyboard.press("Enter");
    await expect.poll(() => page.url()).toMatch(/#\/workflows$/);

    // Signing out forgets the key.
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.getByLabel("API key").waitFor();
    expect(await page.evaluate<string | null>("localStorage.getItem('cvflow.apiKey')")).toBeNull();
    await page.close();
  }, 60_000);

  it("is watched: a request to another host is refused and reported, and so is a console error (these tests cannot pass by not looking)", async () => {
    const page = await ui.open();
    // 192.0.2.1 is TEST-NET-1, reachable nowhere; a navigation is not subject to the page's CSP, so the harness is what refuses it.
    await expect(page.goto("http://192.0.2.1/probe")).rejects.toThrow(/ERR_BLOCKED_BY_CLIENT/);
    await page.close();
    const next = await ui.open();
    await next.evaluate("console.error('a console error')");
    const seen: string[] = [];
    await expect.poll(() => seen.push(...ui.takeProblems()) && seen).toEqual([
      "request to another host: GET http://192.0.2.1/probe",
      expect.stringMatching(/^console error: a console error/),
    ]);
    await next.close();
  });

  /** The sections, each with what shows once it has loaded. */
  const SECTIONS = [
    { hash: "#/workflows", loaded: "[data-testid=workflow-row]" },
    { hash: "#/runs", loaded: "[data-testid=run-row], [data-testid=no-runs]" },
    { hash: "#/batch", loaded: "[data-testid=batch-job-row], [data-testid=batch-empty]" },
    { hash: "#/blocks", loaded: "[data-testid=block-row]" },
  ];

  for (const colorScheme of ["light", "dark"] as const) {
    it(`renders every section in ${colorScheme} as the system asks, at 1280x800 and at 390x844 without sideways scroll`, async () => {
      for (const viewport of [DESKTOP, PHONE]) {
        const page = await ui.open({ viewport, colorScheme });
        for (const section of SECTIONS) {
          await page.goto(`${ui.stack.url}/${section.hash}`);
          await page.locator(section.loaded).first().waitFor();
          const { background, text } = await luminances(page);
          // Light: dark text on a light background; dark: the other way round.
          if (colorScheme === "light") expect(background).toBeGreaterThan(text);
          else expect(background).toBeLessThan(text);
          expect({ section: section.hash, sideScroll: await sideScroll(page) }).toEqual({ section: section.hash, sideScroll: 0 });
          await ui.shot(page, `${section.hash.slice(2)}-${colorScheme}`);
        }
        await page.close();
      }
    }, 60_000);
  }
});
