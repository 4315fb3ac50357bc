/**
 * Where the services blocks call live, when a deployment moves them (a proxy, a test's server on
 * loopback): CVFLOW_<PROVIDER>_BASE_URL. A plain module (no imports), exported as
 * `@cvflow/blocks/egress-endpoints`: the functions' configurations read the variables with it,
 * infra passes the deploying environment's on to them, and egress.ts serves them to the blocks.
 */

/** The services whose address a deployment may move, by the name in CVFLOW_<NAME>_BASE_URL. */
export const PROVIDERS = ["openai", "anthropic", "gemini", "openrouter", "xai", "stability", "google_vision", "slack", "twilio"] as const;
export type Provider = (typeof PROVIDERS)[number];

/** The variable that moves `provider`. */
export function endpointVariable(provider: Provider): string {
  return `CVFLOW_${provider.toUpperCase()}_BASE_URL`;
}

/** `CVFLOW_<PROVIDER>_BASE_URL` variables, each checked to be an http(s) URL. */
export function endpointsFromEnv(env: Readonly<Record<string, string | undefined>> = process.env): Partial<Record<Provider, string>> {
  const endpoints: Partial<Record<Provider, string>> = {};
  for (const provider of PROVIDERS) {
    const name = endpointVariable(provider);
    const value = env[name];
    if (!value) continue;
    const url = URL.canParse(value) ? new URL(value) : undefined;
    if (!url || (url.protocol !== "http:" && url.protocol !== "https:")) throw new Error(`${name} must be an http(s) URL, got "${value.slice(0, 100)}"`);
    endpoints[provider] = value;
  }
  return endpoints;
}
