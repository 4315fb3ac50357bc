/** `GET /` asked for JSON (not the page) with an API key: who the key is. The debugger page signs in with it. Types only. */
export interface IdentityResponse {
  workspace: string;
  scopes: string[];
  /** The key's id as run records name it (`startedBy.keyId`): the start of its SHA-256, never the key. */
  key_id: string;
}
