/**
 * Who is signed in: the API key (kept in this browser's localStorage, sent only as an
 * `Authorization` header, never in a URL), the client made with it, and the key's workspace as
 * the service tells it (`GET /` asked for JSON).
 */
import { CvflowClient } from "@cvflow/sdk";
import { computed, signal } from "@preact/signals";

const KEY_ITEM = "cvflow.apiKey";

export const apiKey = signal<string | null>(localStorage.getItem(KEY_ITEM));
export const workspace = signal<string | null>(null);

/** The client of the signed-in key; null when signed out. */
const client = computed(() => (apiKey.value ? new CvflowClient({ baseUrl: location.origin, apiKey: apiKey.value }) : null));

/** The signed-in client; views below the sign-in gate only render with one. */
export function api(): CvflowClient {
  const current = client.value;
  if (!current) throw new Error("not signed in");
  return current;
}

/** Checks the key with the service; keeps it only when the service knows it. */
export async function signIn(key: string): Promise<void> {
  const candidate = new CvflowClient({ baseUrl: location.origin, apiKey: key });
  const identity = await candidate.whoami();
  localStorage.setItem(KEY_ITEM, key);
  apiKey.value = key;
  workspace.value = identity.workspace;
}

/** At load: the stored key's workspace, or signed out when the service no longer knows it. */
export async function resumeSession(): Promise<void> {
  if (!apiKey.value) return;
  try {
    workspace.value = (await api().whoami()).workspace;
  } catch {
    signOut();
  }
}

export function signOut(): void {
  localStorage.removeItem(KEY_ITEM);
  apiKey.value = null;
  workspace.value = null;
}
