import { describe, expect, it } from "vitest";
import { parseUrlAllowList } from "../src/images/url-allow-list.js";

describe("parseUrlAllowList", () => {
  it("is nothing when empty or unset", () => {
    expect(parseUrlAllowList(undefined)).toBeUndefined();
    expect(parseUrlAllowList(" , ")).toBeUndefined();
  });

  it("matches hosts by name, subdomain wildcard, port (the scheme's by default) and literal address", () => {
    const list = parseUrlAllowList("Images.Internal, *.corp.example:8443 127.0.0.1:9000,[0:0::1]:9001")!;
    expect(list.entries).toEqual(["images.internal", "*.corp.example:8443", "127.0.0.1:9000", "[0:0::1]:9001"]);
    const allows = (url: string) => list.allowsHost(new URL(url));
    expect(["http://images.internal/a.jpg", "https://IMAGES.internal.:444/a.jpg", "https://eu.corp.example:8443/a", "http://127.0.0.1:9000/a", "http://[::1]:9001/a"].map(allows)).toEqual([true, true, true, true, true]);
    expect(["http://images.internal.evil/a", "https://corp.example:8443/a", "https://eu.corp.example/a", "http://127.0.0.1:9001/a", "http://[::1]:9000/a", "http://localhost:9000/a"].map(allows)).toEqual([false, false, false, false, false, false]);
    expect(parseUrlAllowList("api.invalid:443")!.allowsHost(new URL("https://api.invalid/x"))).toBe(true);
    expect(parseUrlAllowList("api.invalid:443")!.allowsHost(new URL("http://api.invalid/x"))).toBe(false);
  });

  it("matches addresses inside CIDR ranges, IPv4 and IPv6", () => {
    const list = parseUrlAllowList("10.20.0.0/16 fd00::/8")!;
    expect(["10.20.3.4", "fd12::1"].map(list.allowsAddress)).toEqual([true, true]);
    expect(["10.21.0.1", "127.0.0.1", "fe80::1"].map(list.allowsAddress)).toEqual([false, false, false]);
    expect(list.allowsHost(new URL("http://10.20.3.4/"))).toBe(false);
  });

  it("refuses a malformed entry, naming the variable, the entry and what is wrong", () => {
    expect(() => parseUrlAllowList("ok.example, http://x.example")).toThrow(/^CVFLOW_URL_ALLOW_HOSTS: "http:\/\/x.example" is not a host, host:port or address range \(not an IP address before the \/\)/);
    expect(() => parseUrlAllowList("a.example:0")).toThrow(/"a.example:0".*the port must be 1 to 65535/);
    expect(() => parseUrlAllowList("10.0.0.0/33")).toThrow(/prefix length must be 0 to 32/);
    expect(() => parseUrlAllowList("[images]:80")).toThrow(/not an IPv6 address inside the brackets/);
    expect(() => parseUrlAllowList("a b_c!")).toThrow(/"b_c!".*not a host name/);
    expect(() => parseUrlAllowList("x.example:1:2", "MY_VAR")).toThrow(/^MY_VAR: .*too many colons/);
  });
});
