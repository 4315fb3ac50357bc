/**
 * A label list transcribed from a dataset YAML's `names:` block (`  0: person` per line): the
 * names in id order, one a line. This is how the Ultralytics label files were made, so the
 * result can be checked against their sha256 like any downloaded file.
 */
export function transcribeYamlNames(yaml: string): string {
  const names: string[] = [];
  let inNames = false;
  for (const line of yaml.split(/\r?\n/)) {
    if (/^names:\s*$/.test(line)) {
      inNames = true;
      continue;
    }
    if (!inNames) continue;
    const entry = /^\s+(\d+):\s*(.*?)\s*$/.exec(line);
    if (!entry) break;
    names[Number(entry[1])] = unquote(entry[2]!);
  }
  if (names.length === 0) throw new Error("the YAML has no `names:` block of `id: name` lines");
  return Array.from(names, (name, id) => name ?? String(id)).join("\n") + "\n";
}

function unquote(value: string): string {
  if (value.length >= 2 && value.startsWith("'") && value.endsWith("'")) return value.slice(1, -1).replaceAll("''", "'");
  if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) return JSON.parse(value) as string;
  return value;
}
