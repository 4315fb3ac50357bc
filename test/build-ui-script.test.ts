/**
 * Build-if-stale (scripts/build/ui.ts): what the page's build depends on is hashed — its sources,
 * config and package files, the workspace packages it bundles (and theirs), the lock file — and
 * nothing else; a build stamps dist/ with the hash, and an equal stamp skips Vite. On a small
 * repository of its own in a temp folder, with a real Vite build.
 */
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { buildUiIfStale, sourceHash } from "../scripts/build/ui.js";

const FILES: Record<string, string> = {
  "package-lock.json": "{}",
  "packages/ui/package.json": JSON.stringify({ name: "@cvflow/ui", type: "module", dependencies: { "@cvflow/sdk": "0.1.0", preact: "11.2.0" } }),
  "packages/ui/index.html": '<!doctype html><div id="app"></div><script type="module" src="/src/main.ts"></script>',
  "packages/ui/vite.config.ts": 'export default { base: "/ui/", logLevel: "silent" };\n',
  "packages/ui/src/main.ts": 'document.title = "page";\n',
  "packages/ui/test/main.test.ts": "// a test\n",
  "packages/ui/node/site.ts": "// the loader\n",
  "packages/sdk/package.json": JSON.stringify({ name: "@cvflow/sdk", dependencies: { "@cvflow/wire": "0.1.0" }, devDependencies: { "@cvflow/service": "0.1.0" } }),
  "packages/sdk/src/client.ts": "export {};\n",
  "packages/sdk/test/client.test.ts": "// a test\n",
  "packages/wire/package.json": JSON.stringify({ name: "@cvflow/wire" }),
  "packages/wire/src/index.ts": "export {};\n",
  "packages/service/package.json": JSON.stringify({ name: "@cvflow/service" }),
  "packages/service/src/index.ts": "export {};\n",
};

async function repository(): Promise<string> {
  const repo = await mkdtemp(join(tmpdir(), "cvflow-build-ui-"));
  for (const [path, content] of Object.entries(FILES)) {
    await mkdir(dirname(join(repo, path)), { recursive: true });
    await writeFile(join(repo, path), content);
  }
  return repo;
}

describe("the page's source hash", () => {
  it("changes with the page's sources, config, package files, the packages it bundles and the lock; not with tests, the loader, dist or other packages", async () => {
    const repo = await repository();
    const changes = async (path: string): Promise<boolean> => {
      const before = await sourceHash(repo);
      const full = join(repo, path);
      await mkdir(dirname(full), { recursive: true });
      await writeFile(full, `${existsSync(full) ? await readFile(full, "utf8") : ""}// changed\n`);
      return (await sourceHash(repo)) !== before;
    };
    for (const path of ["packages/ui/src/main.ts", "packages/ui/src/views/new.tsx", "packages/ui/index.html", "packages/ui/vite.config.ts", "packages/ui/public/favicon.svg", "packages/sdk/src/client.ts", "packages/wire/src/index.ts", "package-lock.json"]) {
      expect([path, await changes(path)]).toEqual([path, true]);
    }
    for (const path of ["packages/ui/test/main.test.ts", "packages/ui/node/site.ts", "packages/ui/dist/index.html", "packages/sdk/test/client.test.ts", "packages/service/src/index.ts", "README.md"]) {
      expect([path, await changes(path)]).toEqual([path, false]);
    }
  });
});

describe("buildUiIfStale", () => {
  it("builds and stamps dist/, skips while nothing changed, builds again after a change or when forced", async () => {
    const repo = await repository();
    const dist = join(repo, "packages/ui/dist");
    const first = await buildUiIfStale(repo);
    expect(first.built).toBe(true);
    expect(await readFile(join(dist, "index.html"), "utf8")).toMatch(/src="\/ui\/assets\/index-[\w-]+\.js"/);
    expect((await readFile(join(dist, ".source-hash"), "utf8")).trim()).toBe(first.hash);
    expect(await buildUiIfStale(repo)).toEqual({ built: false, hash: first.hash });
    await writeFile(join(repo, "packages/ui/src/main.ts"), 'document.title = "other";\n');
    const second = await buildUiIfStale(repo);
    expect(second.built).toBe(true);
    expect(second.hash).not.toBe(first.hash);
    expect((await buildUiIfStale(repo, { force: true })).built).toBe(true);
    // A dist without its page is no build, whatever the stamp says.
    await rm(join(dist, "index.html"));
    expect((await buildUiIfStale(repo)).built).toBe(true);
  });
});
