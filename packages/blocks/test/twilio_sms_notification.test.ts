/**
 * twilio_sms_notification v1 and v2 against a loopback server speaking Twilio's Messages API:
 * the form it is sent (To, From, Body, MediaUrl), basic auth from secrets, v1's length_limit cut,
 * v2's 1600-character cut and media URLs, Twilio's error JSON (credentials masked); v2's managed
 * provider refused, its missing credentials and an image as media reported without sending.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { parseUrlAllowList } from "@cvflow/vision";
import { createWorkflowEngine } from "../src/runtime.js";
import { truncateMessage } from "../src/sinks/twilio_sms_notification.js";
import { synthetic } from "./image-fixtures.js";
import { formOf, recordingServer, type Answer, type RecordedRequest, type RecordingServer } from "./recording-server.js";

const SID = "AC0123456789abcdef0123456789abcdef";
const AUTH = "auth-token-77aa";
let server: RecordingServer;
let answer: (request: RecordedRequest) => Answer;
let engine: ReturnType<typeof createWorkflowEngine>;

/** Twilio's 201 for a created message, as its API reference shows it (abridged). */
const created = (): Answer => ({ status: 201, json: { sid: "SM0123", status: "queued", account_sid: SID, error_code: null } });

beforeAll(async () => {
  server = await recordingServer((request) => answer(request));
  engine = createWorkflowEngine({ egress: { urlPolicy: { allowList: parseUrlAllowList("127.0.0.1") }, endpoints: { twilio: server.url } } });
  process.env["WORKFLOW_SECRET_TWILIO_SID"] = SID;
  process.env["WORKFLOW_SECRET_TWILIO_TOKEN"] = AUTH;
});
afterAll(async () => {
  delete process.env["WORKFLOW_SECRET_TWILIO_SID"];
  delete process.env["WORKFLOW_SECRET_TWILIO_TOKEN"];
  await server.close();
});
afterEach(() => {
  server.requests.length = 0;
  answer = created;
});
answer = created;

const SECRETS = { type: "roboflow_core/environment_secrets_store@v1", name: "secrets", variables_storing_secrets: ["WORKFLOW_SECRET_TWILIO_SID", "WORKFLOW_SECRET_TWILIO_TOKEN"] };
const CREDENTIALS = { twilio_account_sid: "$steps.secrets.workflow_secret_twilio_sid", twilio_auth_token: "$steps.secrets.workflow_secret_twilio_token" };

async function run(step: Record<string, unknown>, inputs: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
  const definition = {
    version: "1.0",
    inputs: [
      { type: "WorkflowParameter", name: "count" },
      { type: "WorkflowImage", name: "image" },
    ],
    steps: [SECRETS, { name: "sms", receiver_number: "+15550001111", fire_and_forget: false, cooldown_seconds: 0, message_parameters: { count: "$inputs.count" }, ...step }],
    outputs: [{ type: "JsonField", name: "sms", selector: "$steps.sms.*" }],
  };
  const result = await engine.run(definition, { count: 7, image: synthetic(4, 4, 3, () => 128), ...inputs });
  return (result.outputs[0] as { sms: Record<string, unknown> }).sms;
}

const v1 = (fields: Record<string, unknown> = {}) =>
  run({ type: "roboflow_core/twilio_sms_notification@v1", ...CREDENTIALS, sender_number: "+15559998888", cooldown_session_key: "s1", message: "Alert: {{ $parameters.count }} people", ...fields });
const v2 = (fields: Record<string, unknown> = {}) =>
  run({ type: "roboflow_core/twilio_sms_notification@v2", sms_provider: "Custom Twilio", ...CREDENTIALS, sender_number: "+15559998888", message: "Alert: {{ $parameters.count }} people", ...fields });

const SENT = { error_status: false, throttling_status: false, message: "Notification sent successfully" };

async function sentForm(request: RecordedRequest): Promise<[string, string][]> {
  return [...(await formOf(request)).entries()].map(([k, v]) => [k, String(v)]);
}

describe("twilio_sms_notification@v1", () => {
  it("POSTs To, From and the formatted Body to the account's Messages.json with basic auth", async () => {
    expect(await v1()).toEqual(SENT);
    expect(server.requests).toHaveLength(1);
    const [post] = server.requests;
    expect(post!.method).toBe("POST");
    expect(post!.url).toBe(`/2010-04-01/Accounts/${SID}/Messages.json`);
    expect(post!.headers["authorization"]).toBe(`Basic ${Buffer.from(`${SID}:${AUTH}`).toString("base64")}`);
    expect(post!.headers["content-type"]).toBe("application/x-www-form-urlencoded");
    expect(await sentForm(post!)).toEqual([
      ["To", "+15550001111"],
      ["From", "+15559998888"],
      ["Body", "Alert: 7 people"],
    ]);
  });

  it("cuts the message to length_limit characters, ending in [...]", async () => {
    expect(await v1({ message: "0123456789abcdefghijXYZ", length_limit: 20 })).toEqual(SENT);
    const body = (await formOf(server.requests[0]!)).get("Body") as string;
    expect(body).toBe("0123456789abcd [...]");
    expect(body).toHaveLength(20);
    // Python counts code points: an emoji is one character.
    expect(truncateMessage("😀".repeat(12), 10)).toBe("😀😀😀😀 [...]");
    expect(truncateMessage("short", 10)).toBe("short");
  });

  it("reports Twilio's error (status, message, code) in error_status; credentials never show", async () => {
    answer = () => ({ status: 400, json: { code: 21211, message: "The 'To' number +15550001111 is not a valid phone number.", more_info: "https://www.twilio.com/docs/errors/21211", status: 400 } });
    const refused = await v1();
    expect(refused).toEqual({
      error_status: true,
      throttling_status: false,
      message: "Failed to send Twilio SMS notification. Internal error details: HTTP 400 from Twilio: The 'To' number +15550001111 is not a valid phone number. (code 21211)",
    });
    answer = () => ({ status: 401, json: { code: 20003, message: `Authenticate ${SID}`, status: 401 } });
    const unauthorised = await v1();
    expect(unauthorised).toMatchObject({ error_status: true, message: "Failed to send Twilio SMS notification. Internal error details: HTTP 401 from Twilio: Authenticate *** (code 20003)" });
    expect(JSON.stringify([refused, unauthorised])).not.toContain(AUTH);
  });
});

describe("twilio_sms_notification@v2", () => {
  it("sends media URLs as MediaUrl, one per URL, and cuts at 1600 characters", async () => {
    expect(await v2({ media_url: ["https://example.com/a.jpg", "https://example.com/b.jpg"], message: "x".repeat(1700) })).toEqual(SENT);
    const form = await sentForm(server.requests[0]!);
    expect(form.filter(([k]) => k === "MediaUrl").map(([, v]) => v)).toEqual(["https://example.com/a.jpg", "https://example.com/b.jpg"]);
    const body = form.find(([k]) => k === "Body")![1];
    expect(body).toHaveLength(1600);
    expect(body.endsWith(" [...]")).toBe(true);
    expect(await v2({ media_url: "https://example.com/one.jpg" })).toEqual(SENT);
    expect((await formOf(server.requests[1]!)).getAll("MediaUrl")).toEqual(["https://example.com/one.jpg"]);
  });

  it("refuses Roboflow's managed provider (the default) with what to give instead", async () => {
    const error = await run({ type: "roboflow_core/twilio_sms_notification@v2", message: "hi" }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "invalid_field" });
    expect((error as Error).message).toContain('set sms_provider to "Custom Twilio" and give twilio_account_sid, twilio_auth_token and sender_number');
    expect(server.requests).toHaveLength(0);
  });

  it("reports missing credentials and an image as media without sending, as error_status", async () => {
    expect(await v2({ sender_number: null })).toEqual({ error_status: true, throttling_status: false, message: "Custom Twilio requires twilio_account_sid, twilio_auth_token, and sender_number" });
    const image = await v2({ media_url: "$inputs.image" });
    expect(image).toMatchObject({ error_status: true, throttling_status: false });
    expect(image["message"]).toContain("cvflow does not put images on a public host for Twilio to fetch");
    expect(server.requests).toHaveLength(0);
  });

  it("says throttled within its cooldown (one per run here)", async () => {
    const definition = {
      version: "1.0",
      inputs: [{ type: "WorkflowBatchInput", name: "n", kind: ["integer"] }],
      steps: [SECRETS, { type: "roboflow_core/twilio_sms_notification@v2", name: "sms", sms_provider: "Custom Twilio", ...CREDENTIALS, sender_number: "+1555", receiver_number: "+1556", message: "n={{ $parameters.n }}", message_parameters: { n: "$inputs.n" }, fire_and_forget: false }],
      outputs: [{ type: "JsonField", name: "sms", selector: "$steps.sms.*" }],
    };
    const result = await engine.run(definition, { n: [1, 2] });
    const outputs = result.outputs.map((o) => (o as { sms: Record<string, unknown> }).sms);
    expect(outputs.filter((o) => o["throttling_status"] === true)).toEqual([{ error_status: false, throttling_status: true, message: "Sink cooldown applies" }]);
    expect(server.requests).toHaveLength(1);
  });
});
