/**
 * Which addresses an image URL may not reach: anything that is not a public unicast address.
 * IPv6 forms that carry an IPv4 address (IPv4-mapped ::ffff:a.b.c.d, IPv4-compatible ::a.b.c.d,
 * NAT64 64:ff9b::a.b.c.d) are judged by the IPv4 address they carry.
 */
import { isIPv4, isIPv6 } from "node:net";

export type AddressClass = "unspecified" | "loopback" | "private" | "link-local" | "multicast" | "reserved";

type Range = readonly [prefix: string, bits: number, kind: AddressClass];

const IPV4_RANGES: readonly Range[] = [
  ["0.0.0.0", 8, "unspecified"], // "this network"; on Linux 0.0.0.0 reaches the local host
  ["127.0.0.0", 8, "loopback"],
  ["10.0.0.0", 8, "private"],
  ["100.64.0.0", 10, "private"], // carrier-grade NAT (shared address space)
  ["172.16.0.0", 12, "private"],
  ["192.168.0.0", 16, "private"],
  ["169.254.0.0", 16, "link-local"], // includes the cloud metadata service, 169.254.169.254
  ["192.0.0.0", 24, "reserved"],
  ["198.18.0.0", 15, "reserved"],
  ["224.0.0.0", 4, "multicast"],
  ["240.0.0.0", 4, "reserved"], // includes the broadcast address
];

const IPV6_RANGES: readonly Range[] = [
  ["::", 128, "unspecified"],
  ["::1", 128, "loopback"],
  ["fc00::", 7, "private"], // unique local, e.g. fd00:ec2::254 (the EC2 metadata service)
  ["fec0::", 10, "private"], // deprecated site-local
  ["fe80::", 10, "link-local"],
  ["ff00::", 8, "multicast"],
];

const CARRIES_IPV4: readonly (readonly [prefix: string, bits: number])[] = [
  ["::ffff:0:0", 96],
  ["::", 96],
  ["64:ff9b::", 96],
];

/** The class of a non-public address, or undefined for a public one. */
export function classifyAddress(address: string): AddressClass | undefined {
  if (isIPv4(address)) return match(ipv4Bytes(address), IPV4_RANGES, ipv4Bytes);
  if (!isIPv6(address)) throw new TypeError(`"${address}" is not an IP address`);
  const bytes = ipv6Bytes(address);
  const own = match(bytes, IPV6_RANGES, ipv6Bytes);
  if (own) return own;
  const carrier = CARRIES_IPV4.find(([prefix, bits]) => inPrefix(bytes, ipv6Bytes(prefix), bits));
  return carrier ? match(bytes.slice(12), IPV4_RANGES, ipv4Bytes) : undefined;
}

function match(bytes: number[], ranges: readonly Range[], parse: (text: string) => number[]): AddressClass | undefined {
  return ranges.find(([prefix, bits]) => inPrefix(bytes, parse(prefix), bits))?.[2];
}

function inPrefix(bytes: readonly number[], prefix: readonly number[], bits: number): boolean {
  for (let i = 0; i < bits; i++) {
    const mask = 0x80 >> i % 8;
    if ((bytes[i >> 3]! & mask) !== (prefix[i >> 3]! & mask)) return false;
  }
  return true;
}

function ipv4Bytes(text: string): number[] {
  return text.split(".").map(Number);
}

function ipv6Bytes(text: string): number[] {
  const [head = "", tail] = text.split("%")[0]!.split("::");
  const left = groupBytes(head);
  const right = tail === undefined ? [] : groupBytes(tail);
  return [...left, ...new Array<number>(16 - left.length - right.length).fill(0), ...right];
}

function groupBytes(part: string): number[] {
  if (part === "") return [];
  return part.split(":").flatMap((group) => {
    if (group.includes(".")) return ipv4Bytes(group);
    const value = parseInt(group, 16);
    return [value >> 8, value & 0xff];
  });
}
