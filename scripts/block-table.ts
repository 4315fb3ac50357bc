/**
 * `npm run blocks:table`: the README's block table, generated from the registered blocks (id,
 * family, aliases and the manifest's description) — never kept by hand. test/readme.test.ts checks
 * that the README holds exactly what this writes.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { coreBlocks } from "@cvflow/blocks";

const README = fileURLToPath(new URL("../README.md", import.meta.url));
const HEADER = "| family | id | aliases | what it does |\n|---|---|---|---|\n";

/** The table's rows, by family then id. */
export function blockTable(): string {
  const rows = coreBlocks
    .map(({ manifest }) => ({ family: manifest.family, type: manifest.type, aliases: manifest.aliases ?? [], description: manifest.description }))
    .sort((a, b) => a.family.localeCompare(b.family) || a.type.localeCompare(b.type))
    .map((block) => `| ${block.family} | \`${block.type}\` | ${block.aliases.map((alias) => `\`${alias}\``).join(", ")} | ${block.description.replaceAll("|", "\\|").replaceAll("\n", " ")} |`);
  return HEADER + rows.join("\n") + "\n";
}

/** The README's table as it stands: from its header to the first line that is no row. */
export function readmeBlockTable(readme: string): { start: number; end: number; text: string } {
  const start = readme.indexOf(HEADER);
  if (start < 0) throw new Error("README.md has no block table header");
  let end = start + HEADER.length;
  while (readme.startsWith("| ", end)) end = readme.indexOf("\n", end) + 1;
  return { start, end, text: readme.slice(start, end) };
}

if (import.meta.main) {
  const readme = readFileSync(README, "utf8");
  const { start, end } = readmeBlockTable(readme);
  writeFileSync(README, readme.slice(0, start) + blockTable() + readme.slice(end));
  console.log(`cvflow: README block table written (${coreBlocks.length} blocks)`);
}
