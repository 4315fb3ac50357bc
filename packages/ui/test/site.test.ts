/** The page's build read into memory for the service (node/site.ts): every file by its `/` path; nothing while unbuilt; dotfiles left out. */
import { mkdir, mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { staticSite } from "../node/site.js";

async function dist(files: Record<string, string | Uint8Array>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "cvflow-ui-dist-"));
  for (const [path, content] of Object.entries(files)) {
    await mkdir(join(dir, path, ".."), { recursive: true });
    await writeFile(join(dir, path), content);
  }
  return dir;
}

describe("staticSite", () => {
  it("reads every file below the build by its /-separated path, bytes as written, the build's stamp left out", async () => {
    const binary = Uint8Array.from({ length: 256 }, (_, i) => 255 - i);
    const dir = await dist({ "index.html": "<!doctype html>", "assets/index-a1.js": "export {};", "assets/fonts/x-b2.woff2": binary, ".source-hash": "abc\n" });
    const files = await staticSite(dir).files();
    expect([...files!.keys()].sort()).toEqual(["assets/fonts/x-b2.woff2", "assets/index-a1.js", "index.html"]);
    expect(Buffer.from(files!.get("index.html")!).toString()).toBe("<!doctype html>");
    expect([...files!.get("assets/fonts/x-b2.woff2")!]).toEqual([...binary]);
  });

  it("answers nothing while the build is missing or has no index.html", async () => {
    expect(await staticSite(join(tmpdir(), "cvflow-no-such-dist-" + process.pid)).files()).toBeUndefined();
    expect(await staticSite(await dist({ "assets/index-a1.js": "export {};" })).files()).toBeUndefined();
  });

  it("reads the folder again each time it is asked (the service asks until it has the files)", async () => {
    const dir = await dist({});
    const site = staticSite(dir);
    expect(await site.files()).toBeUndefined();
    await writeFile(join(dir, "index.html"), "<p>");
    expect([...(await site.files())!.keys()]).toEqual(["index.html"]);
  });
});
