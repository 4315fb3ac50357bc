/**
 * Debian's Chromium driven by playwright-core, as the browser tests and the ui benchmark launch it:
 * headless, a fresh profile each time, and nothing that would reach for the network on its own
 * (the machines that run these have none). Absent Chromium, a suite skips with one line (and under
 * CVFLOW_REQUIRE_TEST_ASSETS=1, as in .ci/run, fails).
 */
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { skipping } from "@cvflow/vision/test-assets";
import { chromium, type BrowserContext } from "playwright-core";

export const CHROMIUM = "/usr/bin/chromium";

const ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

/** Why `suite` cannot run here (one line, printed), or undefined when Chromium is installed. */
export function chromiumMissing(suite: string): string | undefined {
  if (existsSync(CHROMIUM)) return undefined;
  return skipping(suite, [`${CHROMIUM} is absent: apt-get install chromium`]);
}

export interface Browser {
  context: BrowserContext;
  close(): Promise<void>;
}

/** Chromium with a fresh profile, removed when it closes. */
export async function launchChromium(): Promise<Browser> {
  const profile = mkdtempSync(join(tmpdir(), "cvflow-chromium-"));
  const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: ARGS, viewport: { width: 1280, height: 800 } });
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
