/**
 * The local stack's secrets: the dev API key and the token-signing secret. Given ones win
 * (CVFLOW_DEV_API_KEY); otherwise they are made once and kept in the data folder, so a second
 * start prints the same key and tokens it issued stay valid. Local development only.
 */
import { randomBytes } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";

export interface LocalSecrets {
  apiKey: string;
  tokenSecret: string;
}

export async function localSecrets(dataDir: string, givenApiKey: string | undefined): Promise<LocalSecrets> {
  const file = join(dataDir, "local-secrets.json");
  let kept: Partial<LocalSecrets> = {};
  try {
    kept = JSON.parse(await readFile(file, "utf8")) as Partial<LocalSecrets>;
  } catch {
    // first start: nothing kept yet
  }
  const secrets: LocalSecrets = {
    apiKey: givenApiKey ?? kept.apiKey ?? `cvf_${randomBytes(32).toString("base64url")}`,
    tokenSecret: kept.tokenSecret ?? randomBytes(32).toString("base64url"),
  };
  if (secrets.apiKey !== kept.apiKey || secrets.tokenSecret !== kept.tokenSecret) {
    await mkdir(dataDir, { recursive: true });
    await writeFile(file, JSON.stringify(secrets, null, 2) + "\n", { mode: 0o600 });
  }
  return secrets;
}
