/** The README is the front door: its examples, its block table and what it says `npm start` prints must stay true. */
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { coreBlocks } from "@cvflow/blocks";
import { BlockRegistry, WorkflowCompileError, WorkflowEngine } from "@cvflow/engine";
import { blockTable, readmeBlockTable } from "../scripts/block-table.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const readme = readFileSync(`${root}README.md`, "utf8");
const run = promisify(execFile);

function example(name: string): string {
  const match = new RegExp(`<!-- example: ${name} -->\\n\`\`\`\\w*\\n([\\s\\S]*?)\`\`\``).exec(readme);
  if (!match) throw new Error(`README has no example "${name}"`);
  return match[1]!;
}

describe("README", () => {
  it.each(["examples/run-workflow.ts", "examples/custom-block.ts", "examples/sdk-client.ts"])("shows %s verbatim", (file) => {
    expect(readme).toContain("```ts\n" + readFileSync(`${root}${file}`, "utf8") + "```");
  });

  it("runs the engine example to the summary its comment states", async () => {
    const { summary } = await import("../examples/run-workflow.js");
    expect(summary).toBe("1 of 1 products on the shelf (bottle): OK");
  });

  it("runs the custom block example to the ratios its comment states", async () => {
    const { result } = await import("../examples/custom-block.js");
    expect(result.outputs).toEqual([{ ratio: 0.1 }, { ratio: 0.4 }]);
  });

  it("shows the error that its invalid definition really gives", () => {
    const engine = new WorkflowEngine({ registry: new BlockRegistry(coreBlocks) });
    let error: unknown;
    try {
      engine.compile(JSON.parse(example("invalid-definition")));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(WorkflowCompileError);
    expect((error as WorkflowCompileError).toJSON()).toEqual(JSON.parse(example("invalid-definition-error")));
  });

  it("lists exactly the registered blocks with their aliases", () => {
    const rows = [...readme.matchAll(/^\| (\w+) \| `([^`]+)` \| ([^|]*) \|/gm)].map((m) => [m[1], m[2], [...m[3]!.matchAll(/`([^`]+)`/g)].map((a) => a[1])]);
    const registered = coreBlocks.map((b) => [b.manifest.family, b.manifest.type, [...(b.manifest.aliases ?? [])]]);
    expect(rows.sort()).toEqual(registered.sort());
  });

  it("holds the block table `npm run blocks:table` generates from the manifests", () => {
    expect(readmeBlockTable(readme).text).toBe(blockTable());
  });

  it("prints what it says `npm run demo` prints", async () => {
    const { stdout } = await run(`${root}node_modules/.bin/node`, ["--import", "tsx", "bin/demo.ts"], { cwd: root });
    const quoted = [...readme.matchAll(/^"summary": "(.*)",$/gm)].map((m) => m[1]);
    expect(quoted).toHaveLength(2);
    // One "cvflow: ran examples/NAME in N ms" line per demo, each followed by its outputs as JSON.
    const ran = new Map([...stdout.matchAll(/^cvflow: ran examples\/([\w-]+) in \d+ ms\n(\[[\s\S]*?\n\])$/gm)].map((m) => [m[1], m[2]!]));
    expect(ran.has("shelf-audit")).toBe(true);
    const shelf = JSON.parse(ran.get("shelf-audit")!) as { summary: string }[];
    expect(shelf.map((o) => o.summary)).toEqual(quoted);
  }, 60_000);
});
