/** The debugger page's budget (issue 13): all of its JavaScript, gzipped, at most 400 KB. */
import { describe, expect, it } from "vitest";
import { builtScripts, ensureBuilt } from "./built-page.js";

const BUDGET_KB = 400;

describe("the debugger page's size", () => {
  it(`ships at most ${BUDGET_KB} KB of JavaScript gzipped, all chunks counted`, async () => {
    await ensureBuilt();
    const scripts = builtScripts();
    expect(scripts.length).toBeGreaterThan(0);
    const gzipKb = scripts.reduce((sum, script) => sum + script.gzipBytes, 0) / 1024;
    expect(gzipKb).toBeLessThanOrEqual(BUDGET_KB);
  }, 120_000);
});
