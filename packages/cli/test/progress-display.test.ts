/** The directory command's progress: a bar redrawn in place on a terminal, plain lines elsewhere. */
import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { duration, figures, progressDisplay } from "../src/directory/progress-display.js";

function stream(isTTY: boolean): PassThrough & { isTTY: boolean; text: () => string } {
  const chunks: string[] = [];
  const out = Object.assign(new PassThrough(), { isTTY, text: () => chunks.join("") });
  out.on("data", (chunk: Buffer) => chunks.push(chunk.toString()));
  return out;
}

describe("progress display", () => {
  it("says images done of the total, failures, images/s and the time left", () => {
    expect(figures({ total: 40, done: 11, failed: 1, elapsedSeconds: 4 })).toBe("12/40 images (1 failed), 3.0 images/s, ETA 10s");
    expect(figures({ total: 2, done: 2, failed: 0, elapsedSeconds: 0.5 })).toBe("2/2 images, 4.0 images/s");
    expect([duration(9.2), duration(65), duration(3725)]).toEqual(["10s", "1m05s", "1h02m"]);
  });

  it("redraws a bar on a terminal and ends it with a newline", async () => {
    const tty = stream(true);
    const display = progressDisplay(tty);
    display.update({ total: 4, done: 1, failed: 0, elapsedSeconds: 1 });
    display.update({ total: 4, done: 2, failed: 0, elapsedSeconds: 1 }); // within 100 ms: not drawn
    display.finish({ total: 4, done: 3, failed: 1, elapsedSeconds: 2 });
    await new Promise((resolve) => setImmediate(resolve));
    expect(tty.text()).toBe(`\r[${"█".repeat(6)}${"░".repeat(18)}]  1/4 images, 1.0 images/s, ETA 3s\x1b[K\r[${"█".repeat(24)}]  4/4 images (1 failed), 2.0 images/s\x1b[K\n`);
  });

  it("writes plain lines elsewhere", async () => {
    const plain = stream(false);
    const display = progressDisplay(plain);
    display.update({ total: 4, done: 1, failed: 0, elapsedSeconds: 1 });
    display.update({ total: 4, done: 2, failed: 0, elapsedSeconds: 1 });
    display.finish({ total: 4, done: 4, failed: 0, elapsedSeconds: 2 });
    await new Promise((resolve) => setImmediate(resolve));
    expect(plain.text()).toBe("progress: 1/4 images, 1.0 images/s, ETA 3s\nprogress: 4/4 images, 2.0 images/s\n");
  });
});
