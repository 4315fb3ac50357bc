import { describe, expect, it } from "vitest";
import { errorBody } from "../src/error-body.js";

const problem = (index: number) => ({ code: "unknown_block_type", message: `problem ${index}`, pointer: `/steps/${index}/type` });

describe("errorBody: what a Roboflow client shows of a list of problems", () => {
  it("spells out the first ten, each at its pointer, and counts the rest", () => {
    const body = errorBody("invalid_workflow", "The workflow definition has 12 problems", 400, { errors: Array.from({ length: 12 }, (_, index) => problem(index)) });
    const listed = body.inner_error_message!.split("; ");
    expect(listed).toHaveLength(10);
    expect(listed[0]).toBe("at /steps/0/type: problem 0");
    expect(listed[9]).toBe("at /steps/9/type: problem 9 (and 2 more in error.details.errors)");
  });

  it("names the root for an empty pointer, and leaves out the place of a problem without one", () => {
    const body = errorBody("invalid_job", "bad", 400, { errors: [{ message: "not an object", pointer: "" }, { message: "no pointer" }] });
    expect(body.inner_error_message).toBe("at the document's root: not an object; no pointer");
  });

  it("sends no inner_error_message key when there is no list of problems", () => {
    const body = errorBody("route_not_found", "No route", 404, { path: "/x" });
    expect(body).toEqual({ error: { code: "route_not_found", message: "No route", status: 404, details: { path: "/x" } }, message: "No route", error_type: "route_not_found" });
    expect("inner_error_message" in body).toBe(false);
  });
});
