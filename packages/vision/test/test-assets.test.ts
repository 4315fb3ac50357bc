/** The one decision on tests that need what a clone lacks: run, skip saying why, or (in CI) fail. */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { missing } from "./test-assets.js";

describe("missing()", () => {
  beforeEach(() => {
    vi.stubEnv("CVFLOW_REQUIRE_TEST_ASSETS", undefined);
    vi.stubEnv("CVFLOW_MODELS_DIR", undefined);
  });
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.restoreAllMocks();
  });

  it("needs nothing: runs, says nothing", () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    expect(missing("a pure suite", {})).toBeUndefined();
    expect(warn).not.toHaveBeenCalled();
  });

  it("absent models and photos: one printed line naming each and how to get it", () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const line = missing("a suite", { models: ["no-such-model"], photos: ["nowhere/a.jpg", "nowhere/b.png"] });
    expect(line).toBe(
      'skipped "a suite": models/ lacks no-such-model: run `npm run models`; ../shared/images/nowhere/a.jpg, ../shared/images/nowhere/b.png are absent (the project\'s shared test photos, not part of the repository)',
    );
    expect(warn.mock.calls).toEqual([[line]]);
  });

  it("under CVFLOW_REQUIRE_TEST_ASSETS=1 (.ci/run) an absence fails instead of skipping", () => {
    vi.stubEnv("CVFLOW_REQUIRE_TEST_ASSETS", "1");
    expect(() => missing("a suite", { photos: ["nowhere/a.jpg"] })).toThrow(
      'CVFLOW_REQUIRE_TEST_ASSETS=1, so this may not skip: skipped "a suite": ../shared/images/nowhere/a.jpg is absent',
    );
  });
});
