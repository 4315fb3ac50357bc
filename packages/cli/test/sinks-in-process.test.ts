/**
 * The commands that run workflows in their own process give the blocks that call out the
 * environment a deployment reads: `cvflow process-images-directory` with a webhook_sink to a
 * loopback receiver (reachable only because CVFLOW_URL_ALLOW_HOSTS lists it) and a local_file_sink
 * writing under CVFLOW_LOCAL_FILE_ROOT.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { afterAll, describe, expect, it } from "vitest";
import { localEgress } from "../src/local-engine.js";
import { writeCoffeePng } from "./image-folder.js";
import { cvflow } from "./spawn-cvflow.js";

const dir = mkdtempSync(`${tmpdir()}/cvflow-cli-sinks-`);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const WORKFLOW = (url: string) => ({
  version: "1.0",
  inputs: [{ type: "WorkflowImage", name: "image" }, { type: "WorkflowParameter", name: "note", default_value: "seen" }],
  steps: [
    { type: "roboflow_core/webhook_sink@v1", name: "hook", url, method: "POST", json_payload: { note: "$inputs.note" }, cooldown_seconds: 0 },
    { type: "roboflow_core/local_file_sink@v1", name: "file", content: "$inputs.note", file_type: "txt", output_mode: "separate_files", target_directory: "notes" },
  ],
  outputs: [
    { type: "JsonField", name: "hook", selector: "$steps.hook.message" },
    { type: "JsonField", name: "file", selector: "$steps.file.error_status" },
  ],
});

describe("blocks that call out, in the CLI's own process", () => {
  it("reads CVFLOW_URL_ALLOW_HOSTS, CVFLOW_<PROVIDER>_BASE_URL and CVFLOW_LOCAL_FILE_ROOT (default: the current folder)", () => {
    const egress = localEgress({ CVFLOW_URL_ALLOW_HOSTS: "127.0.0.1:8080", CVFLOW_OPENAI_BASE_URL: "http://127.0.0.1:8080/v1" }, "/work/here");
    expect([egress.endpoints, egress.localFileRoot, egress.urlPolicy.allowList?.allowsHost(new URL("http://127.0.0.1:8080/x"))]).toEqual([{ openai: "http://127.0.0.1:8080/v1" }, "/work/here", true]);
    expect(localEgress({}, "/w")).toEqual({ urlPolicy: {}, endpoints: {}, localFileRoot: "/w" });
  });

  it("process-images-directory sends each image's webhook and writes its file where the environment says", async () => {
    const bodies: unknown[] = [];
    const receiver = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on("data", (chunk: Buffer) => chunks.push(chunk));
      request.on("end", () => {
        bodies.push(JSON.parse(Buffer.concat(chunks).toString()));
        response.writeHead(200).end("{}");
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
    const port = (receiver.address() as AddressInfo).port;
    try {
      mkdirSync(`${dir}/in`);
      await writeCoffeePng(`${dir}/in/a.png`);
      await writeCoffeePng(`${dir}/in/b.png`);
      writeFileSync(`${dir}/workflow.json`, JSON.stringify(WORKFLOW(`http://127.0.0.1:${port}/hook`)));
      const files = `${dir}/files`;
      const args = ["process-images-directory", "-i", `${dir}/in`, "-o", `${dir}/out`, "--workflow", `${dir}/workflow.json`, "--aggregation-format", "jsonl"];

      const refused = await cvflow([...args, "--json"], { CVFLOW_LOCAL_FILE_ROOT: files });
      expect(bodies).toEqual([]); // loopback is not public: without the allow-list nothing is sent
      expect(refused.code).not.toBe(0);

      const { code } = await cvflow([...args, "--force-reprocessing"], { CVFLOW_LOCAL_FILE_ROOT: files, CVFLOW_URL_ALLOW_HOSTS: `127.0.0.1:${port}` });
      expect(code).toBe(0);
      expect(bodies).toEqual([{ note: "seen" }, { note: "seen" }]);
      const rows = readFileSync(`${dir}/out/aggregated_results.jsonl`, "utf8").trimEnd().split("\n").map((line) => JSON.parse(line));
      expect(rows.map((row) => row.outputs)).toEqual([
        { hook: "Notification sent successfully", file: false },
        { hook: "Notification sent successfully", file: false },
      ]);
      const written = readdirSync(`${files}/notes`);
      expect(written).toHaveLength(2);
      expect(written.map((name) => readFileSync(`${files}/notes/${name}`, "utf8"))).toEqual(["seen\n", "seen\n"]); // a text entry ends its line, as Roboflow writes it
    } finally {
      receiver.closeAllConnections();
      await new Promise((resolve) => receiver.close(resolve));
    }
  });
});
