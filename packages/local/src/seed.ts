/**
 * What a fresh local stack holds: the dev API key (every scope, in the demo workspace) and the
 * example workflows, saved under their file names. Existing workflows are left as they are, so a
 * second start keeps what was changed through the API.
 */
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { SCOPES, type ApiKeyStore, type WorkflowStore } from "@cvflow/store";

export async function seedLocalData(options: { keys: ApiKeyStore; store: WorkflowStore; workspace: string; apiKey: string; examplesDir: string | null }): Promise<string[]> {
  const { keys, store, workspace, apiKey, examplesDir } = options;
  await keys.put(apiKey, { workspace, scopes: [...SCOPES], name: "local development key", createdAt: new Date().toISOString() });
  if (!examplesDir) return [];
  const seeded: string[] = [];
  for (const file of (await readdir(examplesDir)).filter((f) => f.endsWith(".workflow.json")).sort()) {
    const url = file.slice(0, -".workflow.json".length);
    if (await store.get(workspace, url)) continue;
    const specification = JSON.parse(await readFile(join(examplesDir, file), "utf8")) as Record<string, unknown>;
    await store.create(workspace, { url, name: url.replace(/-/g, " "), specification });
    seeded.push(url);
  }
  return seeded;
}
