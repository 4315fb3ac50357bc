/**
 * The local stack's secrets: the dev API key, the token-signing secret, the secret that signs the
 * runs' webhooks and the local S3 server's secret access key. Given ones win (CVFLOW_DEV_API_KEY); otherwise each is made once and kept in
 * the data folder (local-secrets.json, readable by its owner only), so a second start prints the
 * same key, tokens it issued stay valid, and clients of the S3 server keep their credentials.
 * Local development only.
 */
import { randomBytes } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";

export interface LocalSecrets {
  apiKey: string;
  tokenSecret: string;
  webhookSecret: string;
}

interface KeptSecrets extends LocalSecrets {
  s3SecretAccessKey: string;
}

/**
 * The access key id of the local S3 server's one key pair: s3rver knows only this id (its own
 * account), and an id is no secret (S3 sends it in every request). The secret is this data folder's.
 */
export const LOCAL_S3_ACCESS_KEY_ID = "S3RVER";

export async function localSecrets(dataDir: string, givenApiKey: string | undefined): Promise<LocalSecrets> {
  const { apiKey, tokenSecret, webhookSecret } = await keptSecrets(dataDir, givenApiKey);
  return { apiKey, tokenSecret, webhookSecret };
}

/** The key pair every client of the local S3 server of `dataDir` signs its requests with. */
export async function localS3Credentials(dataDir: string): Promise<{ accessKeyId: string; secretAccessKey: string }> {
  return { accessKeyId: LOCAL_S3_ACCESS_KEY_ID, secretAccessKey: (await keptSecrets(dataDir, undefined)).s3SecretAccessKey };
}

async function keptSecrets(dataDir: string, givenApiKey: string | undefined): Promise<KeptSecrets> {
  const file = join(dataDir, "local-secrets.json");
  let kept: Partial<KeptSecrets> = {};
  try {
    kept = JSON.parse(await readFile(file, "utf8")) as Partial<KeptSecrets>;
  } catch {
    // first start: nothing kept yet
  }
  const secrets: KeptSecrets = {
    apiKey: givenApiKey ?? kept.apiKey ?? `cvf_${randomBytes(32).toString("base64url")}`,
    tokenSecret: kept.tokenSecret ?? randomBytes(32).toString("base64url"),
    webhookSecret: kept.webhookSecret ?? randomBytes(32).toString("base64url"),
    s3SecretAccessKey: kept.s3SecretAccessKey ?? randomBytes(30).toString("base64url"),
  };
  if (secrets.apiKey !== kept.apiKey || secrets.tokenSecret !== kept.tokenSecret || secrets.webhookSecret !== kept.webhookSecret || secrets.s3SecretAccessKey !== kept.s3SecretAccessKey) {
    await mkdir(dataDir, { recursive: true });
    await writeFile(file, JSON.stringify(secrets, null, 2) + "\n", { mode: 0o600 });
  }
  return secrets;
}
