/** current_time, cosine_similarity and environment_secrets_store: their outputs against Python's (numbers made with python3 as each comment says). */
import { describe, expect, it } from "vitest";
import { BlockRegistry, WorkflowEngine, type Block } from "@cvflow/engine";
import { CURRENT_TIME_ZONES, currentTimeBlock, currentTimeIn } from "../src/formatters/current_time.js";
import { cosineSimilarity, cosineSimilarityBlock } from "../src/math/cosine_similarity.js";
import { environmentSecretsStoreBlock, readSecrets } from "../src/secrets_providers/environment_secrets_store.js";
import { secretRefusal } from "../src/secrets_providers/secret-names.js";
import { ctx, expectWorkflowError } from "./fixtures.js";

describe("current_time", () => {
  // Made with python3: datetime.fromtimestamp(ts, ZoneInfo(zone)) -> isoformat(), %Y-%m-%d, %H:%M:%S.
  it.each([
    [1751371199.5, "UTC", "2025-07-01T11:59:59.500000+00:00", "2025-07-01", "11:59:59"],
    [1751371199.5, "America/St_Johns", "2025-07-01T09:29:59.500000-02:30", "2025-07-01", "09:29:59"],
    [1751371199.5, "Asia/Kathmandu", "2025-07-01T17:44:59.500000+05:45", "2025-07-01", "17:44:59"],
    [1751371199.5, "Pacific/Chatham", "2025-07-02T00:44:59.500000+12:45", "2025-07-02", "00:44:59"],
    [1751371199.5, "Etc/GMT+12", "2025-06-30T23:59:59.500000-12:00", "2025-06-30", "23:59:59"],
    [1751371199.5, "Australia/Lord_Howe", "2025-07-01T22:29:59.500000+10:30", "2025-07-01", "22:29:59"],
    [1735689600.0, "UTC", "2025-01-01T00:00:00+00:00", "2025-01-01", "00:00:00"],
    [1735689600.0, "America/St_Johns", "2024-12-31T20:30:00-03:30", "2024-12-31", "20:30:00"],
    [1735689600.0, "Pacific/Chatham", "2025-01-01T13:45:00+13:45", "2025-01-01", "13:45:00"],
    [1735689600.0, "Australia/Lord_Howe", "2025-01-01T11:00:00+11:00", "2025-01-01", "11:00:00"],
    [1735689600.0, "Europe/Berlin", "2025-01-01T01:00:00+01:00", "2025-01-01", "01:00:00"],
  ])("%s in %s is %s", (seconds, zone, iso, date, time) => {
    expect(currentTimeIn(zone, new Date(seconds * 1000))).toEqual({ timestamp: iso, iso_string: iso, date, time });
  });

  it("knows Roboflow's 55 zones and refuses others", () => {
    expect(CURRENT_TIME_ZONES).toHaveLength(55);
    for (const zone of CURRENT_TIME_ZONES) expect(() => currentTimeIn(zone, new Date(0))).not.toThrow();
    expectWorkflowError(() => currentTimeIn("Europe/Paris", new Date(0)), "invalid_field", "Europe/Paris");
  });

  it("runs in a workflow with the UTC default, between the instants before and after", async () => {
    const engine = new WorkflowEngine({ registry: new BlockRegistry([currentTimeBlock] as Block[]) });
    const before = Date.now();
    const { outputs } = await engine.run(
      { version: "1.0", inputs: [], steps: [{ type: "roboflow_core/current_time@v1", name: "now" }], outputs: [{ type: "JsonField", name: "t", selector: "$steps.now.*" }] },
      {},
    );
    const after = Date.now();
    const t = (outputs[0] as { t: { iso_string: string; timestamp: string } }).t;
    expect(t.iso_string.endsWith("+00:00")).toBe(true);
    const at = Date.parse(t.iso_string);
    expect(at).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000);
    expect(at).toBeLessThanOrEqual(after);
    expect(t.timestamp).toBe(t.iso_string);
  });
});

describe("cosine_similarity", () => {
  it("is numpy's dot / (norm * norm)", () => {
    // python3: np.dot(a, b) / (np.linalg.norm(a) * np.linalg.norm(b)) = 0.6666666666666665
    expect(cosineSimilarity([0.1, 0.2, 0.3, 0.4], [0.4, 0.3, 0.2, 0.1])).toBeCloseTo(0.6666666666666665, 15);
    expect(cosineSimilarity([1, 2], [2, 4])).toBeCloseTo(1, 15);
    expect(cosineSimilarity([1, 0], [-1, 0])).toBe(-1);
  });

  it("refuses embeddings of different lengths", () => {
    expectWorkflowError(() => cosineSimilarityBlock.run({ embedding_1: [1, 2], embedding_2: [1, 2, 3] }, ctx), "invalid_field", "embedding_1 has 2 values, embedding_2 has 3");
  });
});

describe("environment_secrets_store", () => {
  const env = { WORKFLOW_SECRET_OPENAI: "sk-1", OTHER: "x", CVFLOW_DEV_API_KEY: "k", AWS_SECRET_ACCESS_KEY: "a" };

  it("reads names with an allowed prefix, lower-cases the outputs, null when unset", () => {
    const secrets = readSecrets(["WORKFLOW_SECRET_OPENAI", "WORKFLOW_SECRET_MISSING"], env);
    expect(Object.keys(secrets)).toEqual(["workflow_secret_openai", "workflow_secret_missing"]);
    expect(secrets["workflow_secret_openai"]?.reveal()).toBe("sk-1");
    expect(secrets["workflow_secret_openai"]?.name).toBe("WORKFLOW_SECRET_OPENAI");
    expect(secrets["workflow_secret_missing"]).toBeNull();
  });

  it("refuses names outside the prefixes, and the service's own whatever the prefixes", () => {
    expect(secretRefusal("OTHER", env)).toContain("not exposed to workflows");
    expect(secretRefusal("OTHER", { ...env, CVFLOW_SECRETS_ENV_PREFIXES: "OTH, X_" })).toBeUndefined();
    const everything = { ...env, CVFLOW_SECRETS_ENV_PREFIXES: "C,A,_,L" };
    for (const name of ["CVFLOW_DEV_API_KEY", "AWS_SECRET_ACCESS_KEY", "LAMBDA_TASK_ROOT", "_HANDLER"]) expect(secretRefusal(name, everything)).toContain("belongs to the service");
    expectWorkflowError(() => readSecrets(["AWS_SECRET_ACCESS_KEY"], env), "invalid_field", "never readable");
  });

  it("a definition naming a refused variable does not compile; an allowed one gives an output per name", async () => {
    const engine = new WorkflowEngine({ registry: new BlockRegistry([environmentSecretsStoreBlock] as Block[]) });
    const definition = (names: string[], output: string) => ({
      version: "1.0",
      inputs: [],
      steps: [{ type: "roboflow_core/environment_secrets_store@v1", name: "vault", variables_storing_secrets: names }],
      outputs: [{ type: "JsonField", name: "s", selector: `$steps.vault.${output}` }],
    });
    expect(() => engine.compile(definition(["AWS_SECRET_ACCESS_KEY"], "aws_secret_access_key"))).toThrow(/belongs to the service/);
    process.env["WORKFLOW_SECRET_TEST_D"] = "value-d";
    try {
      const { outputs } = await engine.run(definition(["WORKFLOW_SECRET_TEST_D"], "workflow_secret_test_d"), {});
      // A secret is never an output's value: the output shows the mask.
      expect(outputs[0]).toEqual({ s: "***" });
    } finally {
      delete process.env["WORKFLOW_SECRET_TEST_D"];
    }
  });
});
