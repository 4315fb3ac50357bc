/**
 * The provider's API key a step was given: a string, or a Secret from environment_secrets_store.
 * Roboflow's managed keys (`rf_key:account`, `rf_key:user:<id>`: calls proxied through Roboflow's
 * API and billed there) do not exist here, so such a key — the default of several Roboflow
 * manifests — is refused with a message saying to pass the provider's own key.
 */
import { invalidField } from "../../../errors.js";
import { reveal } from "../../../secrets_providers/secret.js";

export function providerKey(value: unknown, provider: string, field = "api_key"): string {
  const key = reveal(value);
  if (key === undefined || key === "") {
    throw invalidField(`${field}: no ${provider} API key was given; pass your own key (a parameter, or a secret from environment_secrets_store)`);
  }
  if (key.startsWith("rf_key:")) {
    throw invalidField(
      `${field}: "${key}" is a Roboflow-managed key, which proxies the call through Roboflow's API; cvflow calls ${provider} directly, so pass your own ${provider} API key (a parameter, or a secret from environment_secrets_store)`,
    );
  }
  return key;
}
