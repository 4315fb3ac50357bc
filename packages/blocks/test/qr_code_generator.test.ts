/**
 * QR Code Generator: the RGB pixels are those Python's qrcode makes for Roboflow's block (same
 * segments, version, mask; 10 px a module). Reference digests made with python3-qrcode 7.4.2
 * (Debian; Roboflow pins ~=8.0, whose encoder and mask score are the same code):
 *   qr = qrcode.QRCode(version=None, error_correction=ERROR_CORRECT_<level>, box_size=10, border=<border>)
 *   qr.add_data(text); qr.make(fit=True)
 *   sha256(np.array(qr.make_image(fill_color=<rgb>, back_color=<rgb>).convert("RGB")).tobytes())
 */
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { BlockRegistry, WorkflowEngine, type Block } from "@cvflow/engine";
import type { WorkflowImage } from "@cvflow/vision";
import { qrSegments } from "../src/transformations/qr-code.js";
import { qrCodeGeneratorBlock } from "../src/transformations/qr_code_generator.js";
import { ctx, expectWorkflowError } from "./fixtures.js";

const LEVEL = {
  L: "Low (~7% word recovery / highest data capacity)",
  M: "Medium (~15% word recovery)",
  Q: "Quartile (~25% word recovery)",
  H: "High (~30% word recovery / lowest data capacity)",
} as const;

function generate(text: string, level: keyof typeof LEVEL, border: number, fill_color = "BLACK", back_color = "WHITE"): WorkflowImage {
  return (qrCodeGeneratorBlock.run({ text, error_correct: LEVEL[level], border, fill_color, back_color }, ctx) as { qr_code: WorkflowImage }).qr_code;
}

const sha256 = (image: WorkflowImage): string => createHash("sha256").update(image.pixels.data).digest("hex");

describe("qr_code_generator", () => {
  it.each([
    ["https://roboflow.com", "M", 4, "BLACK", "WHITE", 330, "d6b96239919b6b517b48b9cd36e5a1f5c30d8d1ea7fa66a51aef2eaa524b925e"],
    ["Hello World", "L", 4, "BLACK", "WHITE", 290, "c1c264cdef0407c20eec85603095a9f5aa10843fb68d259fa98f78198f0676d6"],
    ["cvflow QR 0123456789 test of a longer text with digits 12345678901234567890", "H", 4, "BLACK", "WHITE", 570, "f82456a857efd4d326543b197475d695e57feb2ba5f3ee8d49dac955f5a4c3f9"],
    ["ABCDEF1234", "Q", 2, "RED", "#0000FF", 250, "ea29498ef215ff0aaa7c7a430c1577c3a78ccbeb7e1eace73dcbaf8d45411920"],
    ["Zürich → 東京 https://example.com/path?q=1 ABCDEFGHIJKLMNOPQRSTUVWXYZ 0123", "M", 0, "rgb(163, 81, 251)", "YELLOW", 370, "031075bd43caf5b80a949b19a49503d9596f8f82e76b52bfe83da97ee29f844a"],
    ["A".repeat(300), "H", 4, "BLACK", "WHITE", 850, "7debbcae52d8b6d13f719ec930997c7041062eab523e204a7a39721fa2fc0a86"],
  ] as const)("%s (%s, border %s) is Python qrcode's image", (text, level, border, fill, back, side, digest) => {
    const image = generate(text, level, border, fill, back);
    expect([image.width, image.height, image.channels]).toEqual([side, side, 3]);
    expect(sha256(image)).toBe(digest);
    expect(image.lineage.parentId).toMatch(/^qr_code\.[0-9a-f-]{36}$/);
  });

  it("segments as Python's optimal_data_chunks(minimum=20)", () => {
    expect(qrSegments("ABCDEF1234")).toEqual([{ data: "ABCDEF1234", mode: "alphanumeric" }]);
    expect(qrSegments("12345")).toEqual([{ data: "12345", mode: "numeric" }]);
    const mixed = qrSegments("ab 12345678901234567890 CD");
    expect(mixed.map((s) => [s.mode, String(s.data)])).toEqual([
      ["byte", "ab "],
      ["numeric", "12345678901234567890"],
      ["byte", " CD"],
    ]);
  });

  it("refuses a colour it cannot read, and an empty text", () => {
    expectWorkflowError(() => generate("x", "M", 4, "not-a-colour"), "invalid_color");
    expectWorkflowError(() => generate("", "M", 4), "invalid_field", "non-empty");
  });

  it("runs in a workflow from a parameter, alias QRCodeGenerator", async () => {
    const engine = new WorkflowEngine({ registry: new BlockRegistry([qrCodeGeneratorBlock] as Block[]) });
    const { outputs } = await engine.run(
      {
        version: "1.0",
        inputs: [{ type: "WorkflowParameter", name: "url" }],
        steps: [{ type: "QRCodeGenerator", name: "qr", text: "$inputs.url" }],
        outputs: [{ type: "JsonField", name: "qr", selector: "$steps.qr.qr_code" }],
      },
      { url: "https://roboflow.com" },
      { serialize: false },
    );
    expect(sha256(outputs[0]!["qr"] as WorkflowImage)).toBe("d6b96239919b6b517b48b9cd36e5a1f5c30d8d1ea7fa66a51aef2eaa524b925e");
  });
});
