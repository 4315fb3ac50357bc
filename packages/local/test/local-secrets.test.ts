/** The local stack's secrets: each made once per data folder and kept there (owner-only), the dev API key given by the caller when it is. */
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, expect, it } from "vitest";
import { localSecrets } from "../src/local-secrets.js";

const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});
const folder = async (): Promise<string> => {
  const dir = await mkdtemp(join(tmpdir(), "cvflow-secrets-"));
  dirs.push(dir);
  return dir;
};

it("the token and webhook secrets are the folder's: the same on a second start, others in another folder, none alike", async () => {
  const [a, b] = [await folder(), await folder()];
  const first = await localSecrets(a, undefined);
  const again = await localSecrets(a, undefined);
  const other = await localSecrets(b, undefined);
  expect(again).toEqual(first);
  expect(other.webhookSecret).not.toBe(first.webhookSecret);
  expect(other.tokenSecret).not.toBe(first.tokenSecret);
  expect(first.webhookSecret).not.toBe(first.tokenSecret);
  expect(first.webhookSecret.length).toBeGreaterThanOrEqual(43);
  expect(JSON.parse(await readFile(join(a, "local-secrets.json"), "utf8"))).toMatchObject({ webhookSecret: first.webhookSecret, tokenSecret: first.tokenSecret });
});

it("a given API key wins and is kept; the secrets stay", async () => {
  const dir = await folder();
  const first = await localSecrets(dir, undefined);
  const given = await localSecrets(dir, "cvf_given");
  expect(given).toEqual({ ...first, apiKey: "cvf_given" });
});
