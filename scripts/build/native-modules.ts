/**
 * The native modules the bundles leave external (infra/image-layout.ts: NATIVE_EXTERNALS), with
 * the production dependencies they need, copied from node_modules into `.build/native/node_modules/`
 * in the same nesting: only packages for the image's platform (linux-x64, glibc), and without the
 * files `leftOutOfImage` names (other platforms' binaries).
 */
import { existsSync } from "node:fs";
import { cp, readFile, rm } from "node:fs/promises";
import { dirname, join, relative, sep } from "node:path";
import { BUILD_DIRS, leftOutOfImage, NATIVE_EXTERNALS, TARGET_PLATFORM } from "../../infra/image-layout.js";

interface PackageJson {
  name: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  os?: string[];
  cpu?: string[];
  libc?: string[];
}

/** Copies the closure; returns the packages copied, as paths below node_modules. */
export async function collectNativeModules(repo: string): Promise<string[]> {
  const source = join(repo, "node_modules");
  const target = join(repo, BUILD_DIRS.native, "node_modules");
  await rm(join(repo, BUILD_DIRS.native), { recursive: true, force: true });
  const copied = new Set<string>();
  const visit = async (name: string, fromDir: string, optional: boolean, neededBy: string): Promise<void> => {
    const dir = resolvePackage(repo, name, fromDir);
    if (!dir) {
      if (optional) return;
      throw new Error(`${name} (needed by ${neededBy}) is not installed: run npm ci first`);
    }
    const path = relative(source, dir).split(sep).join("/");
    if (path.startsWith("..")) throw new Error(`${name} resolved outside node_modules (${dir}); the image mirrors node_modules only`);
    if (copied.has(path)) return;
    const manifest = JSON.parse(await readFile(join(dir, "package.json"), "utf8")) as PackageJson;
    if (!forTarget(manifest)) return;
    copied.add(path);
    await cp(dir, join(target, path), {
      recursive: true,
      filter: (file) => {
        const inside = relative(dir, file).split(sep).join("/");
        // Nested node_modules are dependencies: visited (and copied) on their own, when needed.
        return !inside.split("/").includes("node_modules") && !leftOutOfImage(manifest.name, inside);
      },
    });
    for (const dependency of Object.keys(manifest.dependencies ?? {})) await visit(dependency, dir, false, manifest.name);
    for (const dependency of Object.keys(manifest.optionalDependencies ?? {})) await visit(dependency, dir, true, manifest.name);
  };
  for (const name of NATIVE_EXTERNALS) await visit(name, repo, false, "the functions' bundles");
  requireTargetBinaries(copied);
  return [...copied].sort();
}

/** As Node resolves `name` from a file in `fromDir`: the nearest node_modules that has it. */
function resolvePackage(repo: string, name: string, fromDir: string): string | undefined {
  for (let dir = fromDir; ; dir = dirname(dir)) {
    const candidate = join(dir, "node_modules", name);
    if (existsSync(join(candidate, "package.json"))) return candidate;
    if (dir === repo || dir === dirname(dir)) return undefined;
  }
}

/** npm's own test: every `os`, `cpu` and `libc` list the package has names the target (or only excludes others). */
function forTarget(manifest: PackageJson): boolean {
  const fits = (list: string[] | undefined, value: string): boolean => {
    if (!list || list.length === 0) return true;
    if (list.includes(`!${value}`)) return false;
    const allowed = list.filter((entry) => !entry.startsWith("!"));
    return allowed.length === 0 || allowed.includes(value);
  };
  return fits(manifest.os, TARGET_PLATFORM.os) && fits(manifest.cpu, TARGET_PLATFORM.cpu) && fits(manifest.libc, TARGET_PLATFORM.libc);
}

/**
 * sharp's binaries come as optional packages, installed only for the platform npm ran on: building
 * the image elsewhere (macOS) must fail here rather than ship an image whose sharp cannot load.
 */
function requireTargetBinaries(copied: ReadonlySet<string>): void {
  const platform = `${TARGET_PLATFORM.os}-${TARGET_PLATFORM.cpu}`;
  const needed = [`@img/sharp-${platform}`, `@img/sharp-libvips-${platform}`];
  const missing = needed.filter((name) => !copied.has(name));
  if (missing.length > 0) {
    throw new Error(`${missing.join(", ")} not installed: this node_modules is for another platform; build the image with functions/Dockerfile`);
  }
}
