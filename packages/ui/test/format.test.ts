/** How the page writes durations, sizes and times (src/format.ts): one style each, for every view. */
import { describe, expect, it } from "vitest";
import { formatBytes, formatDuration, formatTime } from "../src/format.js";

describe("format", () => {
  it("says durations to about three digits, from milliseconds to hours, without a 60 in the seconds", () => {
    expect([0, 0.4, 41.5, 849.6, 999.4, 999.6, 1000, 3_420, 9_994, 9_996, 42_000, 59_900, 59_960, 119_700, 125_000, 184_000, 3_599_400, 3_600_000, 3_780_000, 5_430_000].map(formatDuration)).toEqual([
      "0 ms", "0 ms", "42 ms", "850 ms", "999 ms", "1.00 s", "1.00 s", "3.42 s", "9.99 s", "10.0 s", "42.0 s", "59.9 s", "1 min 00 s", "2 min 00 s", "2 min 05 s", "3 min 04 s", "59 min 59 s", "1 h 00 min", "1 h 03 min", "1 h 30 min",
    ]);
  });

  it("says a duration that is not known with a dash", () => {
    expect([undefined, Number.NaN, Number.POSITIVE_INFINITY].map(formatDuration)).toEqual(["—", "—", "—"]);
  });

  it("keeps a duration's text as wide as it was until its unit changes (the graph sizes boxes for 59 min 59 s)", () => {
    const widths = (from: number, to: number, step: number) => {
      const lengths = new Set<number>();
      for (let ms = from; ms < to; ms += step) lengths.add(formatDuration(ms).length);
      return [...lengths];
    };
    expect(widths(1000, 59_950, 7)).toEqual([6]); // "1.00 s" … "59.9 s"
    expect(widths(60_000, 599_500, 499)).toEqual([10]); // "1 min 00 s" … "9 min 59 s"
    expect(widths(599_500, 3_599_500, 997)).toEqual([11]); // "10 min 00 s" … "59 min 59 s"
  });

  it("says sizes in B, KB and MB, with a decimal below ten", () => {
    expect([0, 512, 1023, 1024, 1536, 10_188, 10_240, 493_568, 1_048_063, 1_048_576, 2_411_724, 15_728_640].map(formatBytes)).toEqual([
      "0 B", "512 B", "1023 B", "1.0 KB", "1.5 KB", "9.9 KB", "10 KB", "482 KB", "1023 KB", "1.0 MB", "2.3 MB", "15.0 MB",
    ]);
  });

  it("says a time in the reader's locale to the second, and a text that is no time as it is", () => {
    const time = formatTime("2026-03-05T10:32:15.000Z");
    expect(time).toContain("2026");
    expect(time).toContain("15"); // the seconds, in any time zone
    expect(formatTime("2026-03-05T10:32:16.000Z")).not.toBe(time);
    expect(formatTime("soon")).toBe("soon");
  });
});
