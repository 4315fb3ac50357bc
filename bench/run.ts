/**
 * `npm run bench -- NAME [NAME ...]`: runs benchmarks and prints one JSON object per line,
 * {"bench","metric","value","unit","target"}. Each benchmark measures its baseline in the same
 * run, on the same machine, so the ratios and overheads it reports are comparable.
 */
import { benches } from "./index.js";

// Benchmarks print only their JSON lines: the handlers' Powertools loggers keep to warnings.
process.env["POWERTOOLS_LOG_LEVEL"] ??= "WARN";

const names = process.argv.slice(2);
const unknown = names.filter((n) => !(n in benches));
if (names.length === 0 || unknown.length > 0) {
  console.error(`usage: npm run bench -- ${Object.keys(benches).join("|")}${unknown.length ? ` (unknown: ${unknown.join(", ")})` : ""}`);
  process.exit(2);
}
for (const name of names) {
  for await (const result of benches[name]!()) {
    console.log(JSON.stringify({ bench: name, ...result }));
  }
}
