import { expect, it } from "vitest";
import { unwrapSpecification } from "../src/index.js";

const bare = { version: "1.0", inputs: [], steps: [], outputs: [] };

it("unwraps {specification} and says where the definition sits", () => {
  expect(unwrapSpecification({ specification: bare })).toEqual({ definition: bare, pointer: "/specification" });
  expect(unwrapSpecification({ specification: "not an object" })).toEqual({ definition: "not an object", pointer: "/specification" });
});

it("takes a definition with steps as bare, even with a field named specification", () => {
  expect(unwrapSpecification(bare)).toEqual({ definition: bare, pointer: "" });
  const odd = { ...bare, specification: { other: true } };
  expect(unwrapSpecification(odd).definition).toBe(odd);
});
