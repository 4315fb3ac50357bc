/**
 * The block catalogue against Roboflow's: the manifest ids of roboflow/inference at one commit
 * (roboflow-manifests.json, written by scripts/roboflow-manifests.ts) compared with the ids and
 * aliases GET /workflows/blocks/describe lists. What Roboflow has and cvflow does not is printed,
 * grouped by why; it is computed, so it shrinks as blocks land.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { createTestService } from "@cvflow/service/testing";

interface RoboflowManifest {
  id: string;
  aliases: string[];
  /** Under inference/core/workflows/core_steps/. */
  file: string;
}

const catalogue = JSON.parse(readFileSync(new URL("./roboflow-manifests.json", import.meta.url), "utf8")) as {
  commit: string;
  manifests: RoboflowManifest[];
};

/** The name of a versioned id: `roboflow_core/open_ai@v4` -> `open_ai`. */
const nameOf = (id: string): string => id.replace(/^[^/]+\//, "").replace(/@v\d+$/, "");

/**
 * Why a Roboflow block is not here, first match wins; a block that matches none is simply missing.
 * Names are block names (any version), folders are the manifest's family folder.
 */
const REASONS: readonly { why: string; folders?: readonly string[]; names?: readonly string[] }[] = [
  {
    why: "Roboflow platform only (its hosted search index, or its internal endpoint)",
    names: ["visual_search", "visual_search_classifier", "seg-preview"],
  },
];
const NOT_YET = "missing: no reason given";

function reasonFor(manifest: RoboflowManifest): string {
  const name = nameOf(manifest.id);
  const reason = REASONS.find((r) => r.folders?.some((folder) => manifest.file.startsWith(folder)) || r.names?.includes(name));
  return reason?.why ?? NOT_YET;
}

async function describedIds(): Promise<Set<string>> {
  const { service } = await createTestService();
  const response = await service.handle({ method: "GET", path: "/workflows/blocks/describe", query: "", headers: {}, requestId: "catalogue" });
  expect(response.statusCode).toBe(200);
  const body = JSON.parse(response.body as string) as { blocks: { manifest_type_identifier: string; aliases: string[] }[] };
  return new Set(body.blocks.flatMap((b) => [b.manifest_type_identifier, ...b.aliases]));
}

describe(`the block catalogue against roboflow/inference at ${catalogue.commit.slice(0, 12)}`, () => {
  it("lists which of Roboflow's block ids describe has, and why each other one is not here", async () => {
    const described = await describedIds();
    const remaining = catalogue.manifests.filter((m) => !described.has(m.id));
    const groups = new Map<string, string[]>();
    for (const manifest of remaining) groups.set(reasonFor(manifest), [...(groups.get(reasonFor(manifest)) ?? []), manifest.id]);
    const lines = [`cvflow describes ${catalogue.manifests.length - remaining.length} of Roboflow's ${catalogue.manifests.length} block ids; ${remaining.length} remain:`];
    for (const [why, ids] of [...groups].sort(([a], [b]) => (a === NOT_YET ? -1 : b === NOT_YET ? 1 : a.localeCompare(b)))) {
      lines.push(`  ${why} (${ids.length}):`, ...ids.map((id) => `    ${id}`));
    }
    console.log(lines.join("\n"));
    // The data is the whole catalogue, and every block cvflow does not have is one the reasons explain.
    expect(catalogue.manifests.length).toBeGreaterThan(200);
    expect(remaining.filter((m) => reasonFor(m) === NOT_YET).map((m) => m.id)).toEqual([]);
  });

  it("a block cvflow has answers to every legacy alias Roboflow gives it", async () => {
    const described = await describedIds();
    const missingAliases = catalogue.manifests.filter((m) => described.has(m.id)).flatMap((m) => m.aliases.filter((alias) => !described.has(alias)).map((alias) => `${m.id}: ${alias}`));
    expect(missingAliases).toEqual([]);
  });

  it("every roboflow_core id describe lists is one of Roboflow's (no misspelt or invented versions)", async () => {
    // Roboflow's id for it is misspelt (relative_statoic_crop@v1, which resolves too): cvflow's own spelling.
    const roboflow = new Set([...catalogue.manifests.flatMap((m) => [m.id, ...m.aliases]), "roboflow_core/relative_static_crop@v1"]);
    const invented = [...(await describedIds())].filter((id) => id.startsWith("roboflow_core/") && !roboflow.has(id));
    expect(invented).toEqual([]);
  });

  it("the reasons name blocks Roboflow has, and none that cvflow describes", async () => {
    const described = await describedIds();
    const names = new Set(catalogue.manifests.map((m) => nameOf(m.id)));
    expect(REASONS.flatMap((r) => r.names ?? []).filter((name) => !names.has(name))).toEqual([]);
    const explained = catalogue.manifests.filter((m) => reasonFor(m) !== NOT_YET && described.has(m.id)).map((m) => m.id);
    expect(explained).toEqual([]);
  });
});
