/**
 * What a request's `Accept` and `Accept-Encoding` ask for (RFC 9110 §12.5): a list of names with
 * optional `;q=` weights, 0 meaning "not this". Only what the page's routes need: whether HTML is
 * asked for, and which of the encodings a file has the client takes best.
 */

/** Each listed name (lower case) with its weight, default 1; a name listed twice keeps its first. */
function weights(header: string | undefined): Map<string, number> {
  const result = new Map<string, number>();
  for (const item of (header ?? "").split(",")) {
    const [name = "", ...parameters] = item.split(";").map((part) => part.trim().toLowerCase());
    if (name === "" || result.has(name)) continue;
    const q = parameters.find((p) => p.startsWith("q="));
    const weight = q === undefined ? 1 : Number(q.slice(2));
    result.set(name, Number.isFinite(weight) ? weight : 0);
  }
  return result;
}

/** Whether `Accept` names HTML (a browser's navigation does); `*\/*` alone does not: a client that takes anything gets JSON. */
export function asksForHtml(accept: string | undefined): boolean {
  const types = weights(accept);
  return ["text/html", "application/xhtml+xml"].some((type) => (types.get(type) ?? 0) > 0);
}

/**
 * The encoding to send among those available, in the order of the server's preference: the one
 * with the highest weight in `Accept-Encoding` (`*` standing for any not listed), ties going to
 * the earlier; "identity" when the client takes none of them (or sent no header).
 */
export function chooseEncoding<E extends string>(acceptEncoding: string | undefined, available: readonly E[]): E | "identity" {
  const codings = weights(acceptEncoding);
  let best: { encoding: E | "identity"; weight: number } = { encoding: "identity", weight: 0 };
  for (const encoding of available) {
    const weight = codings.get(encoding) ?? codings.get("*") ?? 0;
    if (weight > best.weight) best = { encoding, weight };
  }
  return best.encoding;
}
