/**
 * email_notification v1 and v2 against a real SMTP server (aiosmtpd over implicit TLS, its
 * certificate trusted for this process): what arrives — envelope, login, headers, body, inline
 * images and attachments as Python's email parser reads them — and the outcomes Roboflow reports
 * (sent, refused login, no answer in time), the run's cancellation, the deployment's address rules,
 * the managed-proxy mode refused, disable_sink / disable_sinks and the cooldown.
 */
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BlockRegistry, MemoryVideoState, WorkflowEngine, WorkflowError, type Block, type BlockServices } from "@cvflow/engine";
import { parseUrlAllowList, type UrlPolicy } from "@cvflow/vision";
import { missing } from "@cvflow/vision/test-assets";
import { environmentSecretsStoreBlock } from "../src/secrets_providers/environment_secrets_store.js";
import { emailNotificationV1Block, emailNotificationV2Block } from "../src/sinks/email_notification.js";
import { photo } from "./image-fixtures.js";
import { smtpMissing, startSmtpServer, trustTestCertificate, type SmtpServer } from "./smtp/smtp-fixture.js";

const PASSWORD = "app-password-7Q2";
const SENDER = "alerts@cvflow.test";

const skip = smtpMissing("email_notification against a real SMTP server");

function engineWith(urlPolicy: UrlPolicy): WorkflowEngine {
  return new WorkflowEngine({
    registry: new BlockRegistry([emailNotificationV1Block, emailNotificationV2Block, environmentSecretsStoreBlock] as Block[]),
    services: { egress: { urlPolicy } },
  });
}

const loopback: UrlPolicy = { allowList: parseUrlAllowList("127.0.0.1") };

const definition = (step: Record<string, unknown>, inputs: unknown[] = []) => ({
  version: "1.0",
  inputs: [{ type: "WorkflowParameter", name: "password" }, ...inputs],
  steps: [{ type: "roboflow_core/email_notification@v1", name: "email", ...step }],
  outputs: [{ type: "JsonField", name: "result", selector: "$steps.email.*" }],
});

/** A v1 step sending to `server` on 127.0.0.1 with the right password unless told otherwise. */
const v1Step = (server: SmtpServer, extra: Record<string, unknown> = {}) => ({
  subject: "Workflow alert",
  sender_email: SENDER,
  receiver_email: "ops@cvflow.test",
  message: "Seen",
  smtp_server: "127.0.0.1",
  smtp_port: server.port,
  sender_email_password: "$inputs.password",
  cooldown_seconds: 0,
  ...extra,
});

/** A body's text with SMTP's CRLF line ends read back as \n. */
const body = (text: string | undefined): string | undefined => text?.replace(/\r\n/g, "\n");

async function runOne(engine: WorkflowEngine, def: unknown, inputs: Record<string, unknown>, services?: BlockServices) {
  const { outputs } = await engine.run(def, inputs, services ? { services } : {});
  return outputs[0]!["result"] as { error_status: boolean; throttling_status: boolean; message: string };
}

describe("email_notification's manifest", () => {
  it("compiles Roboflow's definitions (v2's managed default included) and refuses an empty list of receivers", () => {
    const engine = engineWith(loopback);
    const v2 = { type: "roboflow_core/email_notification@v2", name: "email", subject: "s", message: "m", receiver_email: "$inputs.password" };
    expect(() => engine.compile({ ...definition({}), steps: [v2] })).not.toThrow();
    const empty = definition({ subject: "s", message: "m", sender_email: SENDER, smtp_server: "smtp.example.com", sender_email_password: "$inputs.password", receiver_email: [] });
    expect(() => engine.compile(empty)).toThrow("E-mail notification must have at least one receiver defined.");
  });
});

describe.skipIf(skip)("email_notification", () => {
  let server: SmtpServer;
  beforeAll(async () => {
    trustTestCertificate();
    server = await startSmtpServer(PASSWORD);
  });
  afterAll(() => server?.close());

  it("v1 sends plain text with the parameters filled in (operations applied), To/Cc/Bcc all delivered, Bcc in no header, attachments by name", async () => {
    const before = server.mails.length;
    const def = definition(
      v1Step(server, {
        receiver_email: ["ops@cvflow.test", "lead@cvflow.test"],
        cc_receiver_email: "cc@cvflow.test",
        bcc_receiver_email: ["hidden@cvflow.test"],
        message: "Detected {{ $parameters.count }} objects: {{$parameters.classes}}.\nUnknown {{ $parameters.other }} stays.",
        message_parameters: { count: "$inputs.classes", classes: "$inputs.classes" },
        message_parameters_operations: { count: [{ type: "SequenceLength" }] },
        attachments: { "report.csv": "$inputs.report" },
      }),
      [
        { type: "WorkflowParameter", name: "classes" },
        { type: "WorkflowParameter", name: "report" },
      ],
    );
    const result = await runOne(engineWith(loopback), def, { password: PASSWORD, classes: ["car", "bus"], report: "class,count\ncar,1\nbus,1\n" });
    expect(result).toEqual({ error_status: false, throttling_status: false, message: "Notification sent successfully" });

    const [mail] = (await server.received(before + 1)).slice(before);
    expect(mail!.auth).toEqual([SENDER, PASSWORD]);
    expect(mail!.mail_from).toBe(SENDER);
    expect(mail!.rcpt_tos).toEqual(["ops@cvflow.test", "lead@cvflow.test", "cc@cvflow.test", "hidden@cvflow.test"]);
    const { headers, parts } = mail!.message;
    expect(headers).toMatchObject({ From: SENDER, To: "ops@cvflow.test, lead@cvflow.test", Cc: "cc@cvflow.test", Subject: "Workflow alert" });
    expect(Object.keys(headers)).not.toContain("Bcc");
    expect(parts.map((p) => [p.content_type, p.disposition, p.filename])).toEqual([
      ["text/plain", null, null],
      ["text/csv", "attachment", "report.csv"],
    ]);
    expect(body(parts[0]!.text)).toBe("Detected 2 objects: ['car', 'bus'].\nUnknown {{ $parameters.other }} stays.");
    expect(parts[1]!.text).toBe("class,count\ncar,1\nbus,1\n");
  });

  it.skipIf(missing("email_notification v2 with images", { photos: ["bus.jpg"] }))(
    "v2 sends HTML (values escaped, newlines as <br>), an image parameter inline by Content-ID and an image attachment as JPEG",
    async () => {
      const before = server.mails.length;
      const image = await photo("bus.jpg");
      const def = {
        ...definition({}, [{ type: "WorkflowImage", name: "image" }, { type: "WorkflowParameter", name: "note" }]),
        steps: [
          {
            type: "roboflow_core/email_notification@v2",
            name: "email",
            ...v1Step(server),
            email_provider: "Custom SMTP",
            message: "Note: {{ $parameters.note }}\nFrame: {{ $parameters.frame }}",
            message_parameters: { note: "$inputs.note", frame: "$inputs.image" },
            attachments: { snapshot: "$inputs.image", "notes.txt": "$inputs.note" },
          },
        ],
      };
      const result = await runOne(engineWith(loopback), def, { password: PASSWORD, image, note: `<b>"5" & 'up'</b>` });
      expect(result.error_status).toBe(false);

      const [mail] = (await server.received(before + 1)).slice(before);
      const { parts } = mail!.message;
      expect(parts.map((p) => [p.content_type, p.disposition, p.filename])).toEqual([
        ["text/html", null, null],
        ["image/jpeg", "inline", "image_frame.jpg"],
        ["image/jpeg", "attachment", "snapshot.jpg"],
        ["text/plain", "attachment", "notes.txt"],
      ]);
      expect(body(parts[0]!.text)).toBe(
        `Note: &lt;b&gt;&quot;5&quot; &amp; &#x27;up&#x27;&lt;/b&gt;<br>\nFrame: <img src="cid:image_frame" alt="frame" style="max-width: 600px; height: auto;">`,
      );
      expect(parts[1]!.content_id).toBe("<image_frame>");
      for (const part of [parts[1]!, parts[2]!]) {
        const meta = await sharp(Buffer.from(part.base64!, "base64")).metadata();
        expect([meta.format, meta.width, meta.height]).toEqual(["jpeg", image.pixels.width, image.pixels.height]);
      }
      expect(parts[3]!.text).toBe(`<b>"5" & 'up'</b>`);
    },
  );

  it("a password from environment_secrets_store logs in; a refused login is error_status with the server's answer and no password in it", async () => {
    const before = server.mails.length;
    const def = {
      ...definition({}),
      steps: [
        { type: "roboflow_core/environment_secrets_store@v1", name: "secrets", variables_storing_secrets: ["WORKFLOW_SECRET_SMTP_PASSWORD"] },
        { type: "roboflow_core/email_notification@v1", name: "email", ...v1Step(server), sender_email_password: "$steps.secrets.workflow_secret_smtp_password" },
      ],
    };
    process.env["WORKFLOW_SECRET_SMTP_PASSWORD"] = PASSWORD;
    try {
      expect((await runOne(engineWith(loopback), def, {})).error_status).toBe(false);
      expect((await server.received(before + 1))[before]!.auth).toEqual([SENDER, PASSWORD]);

      const wrong = "not-the-password";
      process.env["WORKFLOW_SECRET_SMTP_PASSWORD"] = wrong;
      const refused = await runOne(engineWith(loopback), def, {});
      expect(refused.error_status).toBe(true);
      expect(refused.message).toMatch(/^Failed to send e-mail\. Internal error details: .*535/);
      expect(refused.message).not.toContain(wrong);
      expect(server.mails.length).toBe(before + 1);
    } finally {
      delete process.env["WORKFLOW_SECRET_SMTP_PASSWORD"];
    }
  });

  it("resolves a name under the deployment's rules, connects to the checked address and verifies the certificate against the name", async () => {
    const before = server.mails.length;
    // Both names resolve to the server; its certificate is for smtp.test.example only.
    const named: UrlPolicy = { allowList: parseUrlAllowList("127.0.0.0/8"), lookup: async () => [{ address: "127.0.0.1", family: 4 }] };
    const ok = await runOne(engineWith(named), definition(v1Step(server, { smtp_server: "smtp.test.example" })), { password: PASSWORD });
    expect(ok.error_status).toBe(false);
    await server.received(before + 1);

    const mismatch = await runOne(engineWith(named), definition(v1Step(server, { smtp_server: "mail.other.example" })), { password: PASSWORD });
    expect(mismatch.error_status).toBe(true);
    expect(mismatch.message).toMatch(/mail\.other\.example.*altnames|altnames.*mail\.other\.example/);
    expect(server.mails.length).toBe(before + 1);
  });

  it("a server on a private address the deployment does not allow is refused before connecting (url_not_allowed)", async () => {
    const connections = server.connections;
    const error = await engineWith({})
      .run(definition(v1Step(server)), { password: PASSWORD })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WorkflowError);
    expect(error).toMatchObject({ code: "url_not_allowed", details: { step: "email", reason: "loopback" } });
    expect(server.connections).toBe(connections);
  });

  it("v2 left on Roboflow's managed proxy fails with invalid_field saying what to give; v2 SMTP without a password reports Roboflow's message", async () => {
    const connections = server.connections;
    const managed = { ...definition({}), steps: [{ type: "roboflow_core/email_notification@v2", name: "email", subject: "s", message: "m", receiver_email: "a@cvflow.test" }] };
    const error = await engineWith(loopback)
      .run(managed, {})
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "invalid_field", status: 400, details: { step: "email" } });
    expect((error as Error).message).toContain('set email_provider to "Custom SMTP"');

    const noPassword = { ...managed, steps: [{ ...managed.steps[0], email_provider: "Custom SMTP", smtp_server: "127.0.0.1", sender_email: SENDER }] };
    expect(await runOne(engineWith(loopback), noPassword, {})).toEqual({
      error_status: true,
      throttling_status: false,
      message: "Custom SMTP requires sender_email, smtp_server, and sender_email_password",
    });
    expect(server.connections).toBe(connections);
  });

  it("disable_sink, the run's disable_sinks and the cooldown send nothing and say so", async () => {
    const before = server.mails.length;
    const engine = engineWith(loopback);
    expect(await runOne(engine, definition(v1Step(server, { disable_sink: true })), { password: PASSWORD })).toEqual({
      error_status: false,
      throttling_status: false,
      message: "Sink was disabled by parameter `disable_sink`",
    });
    expect(await runOne(engine, definition(v1Step(server)), { password: PASSWORD }, { sinksDisabled: true })).toEqual({
      error_status: false,
      throttling_status: false,
      message: "Sink was disabled by workflow execution policy",
    });
    // Two frames of one video (a shared video state): the second is within the first's cooldown.
    const video = { videoState: new MemoryVideoState() };
    const cooled = definition(v1Step(server, { cooldown_seconds: 3600 }));
    expect((await runOne(engine, cooled, { password: PASSWORD }, video)).message).toBe("Notification sent successfully");
    expect(await runOne(engine, cooled, { password: PASSWORD }, video)).toEqual({ error_status: false, throttling_status: true, message: "Sink cooldown applies" });
    expect((await server.received(before + 1)).length).toBe(before + 1);
  });

  describe("a server that never greets", () => {
    let silent: SmtpServer;
    beforeAll(async () => (silent = await startSmtpServer(PASSWORD, { silent: true })));
    afterAll(() => silent?.close());

    it("is error_status after the deployment's timeout", async () => {
      const result = await runOne(engineWith({ ...loopback, timeoutMs: 300 }), definition(v1Step(silent)), { password: PASSWORD });
      expect(result.error_status).toBe(true);
      expect(result.message).toMatch(/^Failed to send e-mail\. Internal error details: .*[Gg]reeting/);
    });

    it("stops when the run is cancelled, failing the run with the cancellation", async () => {
      const controller = new AbortController();
      const reason = new WorkflowError("run_cancelled", "cancelled by the test", 409);
      void silent.nextConnection().then(() => controller.abort(reason));
      const error = await engineWith({ ...loopback, timeoutMs: 60_000 })
        .run(definition(v1Step(silent)), { password: PASSWORD }, { signal: controller.signal })
        .catch((e: unknown) => e);
      expect(error).toBe(reason);
    });
  });
});
