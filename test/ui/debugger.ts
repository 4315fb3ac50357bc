/**
 * What every browser test of the debugger page starts from: the real local stack (its own data
 * folder, free ports, the demo workflows and an API key seeded as `npm start` seeds them), the
 * page built, and Chromium. Every page it opens is watched: a page error, a console error, a
 * server error (5xx), the API key in a URL, or a request to any host but the stack's (its API and
 * its S3 server, both on loopback) is a problem, and `takeProblems()` must be empty when a test ends.
 * Requests elsewhere are also refused, so nothing leaves the machine. Screenshots of each step go
 * to test-results/ui/<suite>/, which CI keeps.
 */
import { mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { LocalStack, LocalStackOptions } from "@cvflow/local";
import type { Page } from "playwright-core";
import { expect } from "vitest";
import { EXAMPLES_DIR } from "../../examples/examples.js";
import { testStack } from "../local-stack.js";
import { launchChromium, type Browser } from "./browser.js";
import { ensureBuilt } from "./built-page.js";

const RESULTS = fileURLToPath(new URL("../../test-results/ui/", import.meta.url));

export const DESKTOP = { width: 1280, height: 800 } as const;
export const PHONE = { width: 390, height: 844 } as const;

export interface PageOptions {
  viewport?: { width: number; height: number };
  colorScheme?: "light" | "dark";
  /** Signed in with the stack's key (through the form); default true. */
  signedIn?: boolean;
}

export interface Debugger {
  stack: LocalStack;
  browser: Browser;
  /** A new page at `/` (1280x800, light by default), watched; signed in unless told not to be. */
  open(options?: PageOptions): Promise<Page>;
  /** Signs in through the form with `key` (default: the stack's) and waits for the workspace to show. */
  signIn(page: Page, key?: string): Promise<void>;
  /** A screenshot of the page as it is, numbered in order: test-results/ui/<suite>/NN-name-WxH.png. */
  shot(page: Page, name: string): Promise<void>;
  /** Runs `during` with console errors matching `expected` tolerated (a 4xx the test provokes: Chromium logs each). */
  tolerating<T>(expected: RegExp, during: () => Promise<T>): Promise<T>;
  /** What went wrong on the pages since the last call (page errors, console errors, 5xx, the key in a URL, requests to other hosts); each test ends expecting none. */
  takeProblems(): string[];
  close(): Promise<void>;
}

/** `suite` names the screenshots' folder; `stackOptions` add to the stack's (e.g. a test block module). */
export async function startDebugger(suite: string, stackOptions: LocalStackOptions = {}): Promise<Debugger> {
  await ensureBuilt();
  const stack = await testStack({ examplesDir: EXAMPLES_DIR, ...stackOptions });
  const browser = await launchChromium().catch(async (error: unknown) => {
    await stack.close();
    throw error;
  });
  const allowed = new Set([new URL(stack.url).origin, new URL(stack.s3.endpoint).origin]);
  const found: string[] = [];
  const tolerated: RegExp[] = [];
  const shots = join(RESULTS, suite);
  rmSync(shots, { recursive: true, force: true });
  mkdirSync(shots, { recursive: true });
  let shotCount = 0;

  const local = (url: string) => url.startsWith("data:") || url.startsWith("blob:") || allowed.has(new URL(url).origin);
  await browser.context.route("**/*", (route) => {
    const url = route.request().url();
    // The key goes only in an Authorization header, never in an address (logs, history, Referer keep those).
    if (url.includes(stack.apiKey)) found.push(`the API key in a URL: ${route.request().method()} ${url.replace(stack.apiKey, "<key>")}`);
    if (local(url)) return route.continue();
    found.push(`request to another host: ${route.request().method()} ${url}`);
    return route.abort("blockedbyclient");
  });

  const watch = (page: Page) => {
    page.on("pageerror", (error) => found.push(`page error: ${error.message}`));
    page.on("console", (message) => {
      if (message.type() !== "error") return;
      const text = `${message.text()} (${message.location().url})`;
      if (!tolerated.some((pattern) => pattern.test(text))) found.push(`console error: ${text}`);
    });
    page.on("response", (response) => {
      if (response.status() >= 500) found.push(`server error: ${response.status()} ${response.request().method()} ${response.url()}`);
    });
  };

  const signIn = async (page: Page, key = stack.apiKey) => {
    await page.getByLabel("API key").fill(key);
    await page.getByLabel("API key").press("Enter");
    await expect.poll(() => page.getByTestId("workspace").textContent()).toBe(stack.workspace);
  };

  return {
    stack,
    browser,
    async open({ viewport = DESKTOP, colorScheme = "light", signedIn = true } = {}) {
      const page = await browser.context.newPage();
      watch(page);
      await page.setViewportSize(viewport);
      await page.emulateMedia({ colorScheme });
      await page.goto(`${stack.url}/`);
      // The key is kept in localStorage, shared by the profile's pages: one signed in, all are.
      await page.locator("input[name=api-key], [data-testid=workspace]").first().waitFor();
      if (signedIn && (await page.getByLabel("API key").count()) > 0) await signIn(page);
      return page;
    },
    signIn,
    async shot(page, name) {
      const size = page.viewportSize()!;
      const file = `${String(++shotCount).padStart(2, "0")}-${name}-${size.width}x${size.height}.png`;
      await page.screenshot({ path: join(shots, file), fullPage: true });
    },
    async tolerating(expected, during) {
      tolerated.push(expected);
      try {
        return await during();
      } finally {
        tolerated.splice(tolerated.indexOf(expected), 1);
      }
    },
    takeProblems: () => found.splice(0),
    async close() {
      await browser.close();
      await stack.close();
    },
  };
}

/** Whether the page scrolls sideways (its content wider than the window): it must not, at any size. */
export function sideScroll(page: Page): Promise<number> {
  return page.evaluate<number>("document.documentElement.scrollWidth - document.documentElement.clientWidth");
}
