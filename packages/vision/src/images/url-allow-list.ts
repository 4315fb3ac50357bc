/**
 * The hosts a deployment lets image URLs reach although they are not public addresses (an image
 * store inside the VPC, a test server on loopback): CVFLOW_URL_ALLOW_HOSTS. Everything not listed
 * keeps the address check of fetch-url.ts. Entries are separated by commas or spaces:
 *
 * - `images.internal`, `*.corp.example` — a host name as written in the URL (`*.` any subdomain),
 *   on any port. Its addresses are not checked: the deployment trusts the name.
 * - `images.internal:8080`, `127.0.0.1:9000`, `[::1]:9000` — that host on that port only (a URL
 *   without a port has its scheme's: 80 or 443).
 * - `10.20.0.0/16`, `192.168.1.7/32`, `fd00::/8` — addresses: a URL, whatever its host name and
 *   port, may reach an address inside one of these ranges. Other addresses its host resolves to
 *   are still checked.
 *
 * Each hop of a redirect is judged again, so a listed host cannot redirect to an unlisted one.
 */
import { BlockList, isIP, isIPv6 } from "node:net";

export interface UrlAllowList {
  /** The entries as given, normalized (for logs and errors). */
  readonly entries: readonly string[];
  /** Whether the URL's host (and port) is listed by name or literal address: none of its addresses is checked. */
  allowsHost(url: URL): boolean;
  /** Whether an address the host resolved to lies in a listed range. */
  allowsAddress(address: string): boolean;
}

interface HostEntry {
  host: string;
  port: number | undefined;
}

/** The allow-list in `text` (undefined when empty); a malformed entry throws, naming `source` and the entry. */
export function parseUrlAllowList(text: string | undefined, source = "CVFLOW_URL_ALLOW_HOSTS"): UrlAllowList | undefined {
  const written = (text ?? "").split(/[\s,]+/).filter((entry) => entry !== "");
  if (written.length === 0) return undefined;
  const hosts: HostEntry[] = [];
  const ranges = new BlockList();
  for (const entry of written) {
    const problem = entry.includes("/") ? addRange(ranges, entry) : addHost(hosts, entry);
    if (problem) {
      throw new Error(`${source}: "${entry}" is not a host, host:port or address range (${problem}); e.g. images.internal, *.corp.example, 127.0.0.1:9000, [::1]:9000, 10.0.0.0/8`);
    }
  }
  return {
    entries: written.map((entry) => entry.toLowerCase()),
    allowsHost: (url) => {
      const host = url.hostname.replace(/^\[(.*)\]$/, "$1").replace(/\.$/, "").toLowerCase();
      const port = url.port ? Number(url.port) : url.protocol === "https:" ? 443 : 80;
      return hosts.some((entry) => (entry.port === undefined || entry.port === port) && hostMatches(host, entry.host));
    },
    allowsAddress: (address) => ranges.check(address, isIPv6(address) ? "ipv6" : "ipv4"),
  };
}

function addRange(ranges: BlockList, entry: string): string | undefined {
  const [address = "", bits = ""] = entry.split("/");
  const family = isIP(address);
  const prefix = Number(bits);
  if (family === 0) return "not an IP address before the /";
  if (!/^\d+$/.test(bits) || prefix > (family === 4 ? 32 : 128)) return `the prefix length must be 0 to ${family === 4 ? 32 : 128}`;
  ranges.addSubnet(address, prefix, family === 4 ? "ipv4" : "ipv6");
  return undefined;
}

function addHost(hosts: HostEntry[], entry: string): string | undefined {
  // [v6]:port, [v6], a bare v6 address, or name[:port] / v4[:port].
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(entry);
  const [host, port] = bracketed
    ? [bracketed[1]!, bracketed[2]]
    : isIPv6(entry)
      ? [entry, undefined]
      : (entry.split(":") as [string, string | undefined]);
  if (bracketed && !isIPv6(host)) return "not an IPv6 address inside the brackets";
  if (!bracketed && entry.split(":").length > 2 && !isIPv6(entry)) return "too many colons";
  if (!isIP(host) && !/^(\*\.)?[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?(\.[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?)*\.?$/i.test(host)) return "not a host name";
  let portNumber: number | undefined;
  if (port !== undefined) {
    portNumber = Number(port);
    if (!/^\d+$/.test(port) || portNumber < 1 || portNumber > 65535) return "the port must be 1 to 65535";
  }
  // IPv6 as the URL parser writes it ([0:0::1] is ::1), so that entry and URL compare as text.
  const normal = isIPv6(host) ? new URL(`http://[${host}]/`).hostname.slice(1, -1) : host.toLowerCase().replace(/\.$/, "");
  hosts.push({ host: normal, port: portNumber });
  return undefined;
}

function hostMatches(host: string, pattern: string): boolean {
  return pattern.startsWith("*.") ? host.endsWith(pattern.slice(1)) : host === pattern;
}
