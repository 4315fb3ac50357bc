/**
 * `sst install` as this project runs it: the SST CLI from npm, with bun from npm (SST_BUN_PATH)
 * and SST's own download of Pulumi and bun switched off (SST_SKIP_DEPENDENCY_CHECK); it fetches
 * SST's platform packages (.sst/platform) from the npm registry. Skipped when `.sst/platform`
 * already holds this SST version with the pinned provider: delete `.sst/` to reinstall.
 */
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const repo = resolve(fileURLToPath(new URL("..", import.meta.url)));
const modules = join(repo, "node_modules");
const platform = `${process.platform}-${process.arch}`;

/** bun's postinstall moves its binary into the bun package; where scripts did not run, it is still in @oven's. */
function bunBinary(): string {
  const placed = join(modules, "bun", "bin", "bun.exe");
  // Before the postinstall, bun.exe is a placeholder of a few hundred bytes.
  if (existsSync(placed) && statSync(placed).size > 1_000_000) return placed;
  const arch = process.arch === "arm64" ? "aarch64" : process.arch;
  return join(modules, "@oven", `bun-${process.platform}-${arch}`, "bin", "bun");
}

const sstBinary = join(modules, `sst-${platform}`, "bin", process.platform === "win32" ? "sst.exe" : "sst");
const sstVersion = (JSON.parse(readFileSync(join(modules, "sst", "package.json"), "utf8")) as { version: string }).version;
const awsVersion = /providers:\s*\{\s*aws:\s*"([^"]+)"/.exec(readFileSync(join(repo, "sst.config.ts"), "utf8"))?.[1];

const installed = (): boolean => {
  const read = (path: string): string | undefined => (existsSync(join(repo, path)) ? readFileSync(join(repo, path), "utf8") : undefined);
  const lock = read(".sst/provider-lock.json");
  const aws = read(".sst/platform/node_modules/@pulumi/aws/package.json");
  return read(".sst/platform/version")?.trim() === sstVersion && !!lock?.includes(`"version": "${awsVersion}"`) && !!aws?.includes(`"version": "${awsVersion}"`);
};

if (installed()) {
  console.log(`sst install: .sst/platform already holds sst ${sstVersion} with @pulumi/aws ${awsVersion} (delete .sst/ to reinstall)`);
} else {
  execFileSync(sstBinary, ["install", "--stage", "check"], {
    cwd: repo,
    stdio: "inherit",
    env: { ...process.env, SST_SKIP_DEPENDENCY_CHECK: "1", SST_BUN_PATH: bunBinary(), SST_TELEMETRY_DISABLED: "1", DO_NOT_TRACK: "1" },
  });
}
