/**
 * The mocks run on this repository's @pulumi/pulumi and @pulumi/aws; deployments run on SST's
 * platform's (.sst/platform, `sst install`). They must be the same versions, and sst.config.ts
 * must pin that provider.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

const read = (path: string): any => JSON.parse(readFileSync(new URL(`../../${path}`, import.meta.url), "utf8"));

describe("Pulumi versions", () => {
  const devDependencies = read("package.json").devDependencies as Record<string, string>;
  const platform = read(".sst/platform/package.json").dependencies as Record<string, string>;

  it("are SST's platform's", () => {
    for (const name of ["@pulumi/pulumi", "@pulumi/aws"]) expect(devDependencies[name]).toBe(platform[name]!.replace(/^v/, ""));
  });

  it("the AWS provider sst.config.ts pins is that version", () => {
    const config = readFileSync(new URL("../../sst.config.ts", import.meta.url), "utf8");
    expect(config).toContain(`providers: { aws: "${devDependencies["@pulumi/aws"]}" }`);
    expect(read(".sst/provider-lock.json")).toEqual([expect.objectContaining({ name: "aws", package: "@pulumi/aws", version: devDependencies["@pulumi/aws"] })]);
  });
});
