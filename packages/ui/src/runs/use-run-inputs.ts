/**
 * What a run was given (GET /runs/{id}/inputs), read once per run: its input images for the
 * results, and an inline run's definition for the graph. A sync run keeps none (404
 * `run_inputs_not_kept`): `note` says so, as it says any other failure to read them.
 */
import type { RunInputs } from "@cvflow/sdk";
import { CvflowError } from "@cvflow/sdk";
import { useEffect, useState } from "preact/hooks";
import { describeError } from "../errors.js";
import { api } from "../session.js";

export type GivenInputs = { state: "loading" } | { state: "read"; inputs: RunInputs } | { state: "none"; note: string };

export function useRunInputs(id: string): GivenInputs {
  const [given, setGiven] = useState<GivenInputs>({ state: "loading" });
  useEffect(() => {
    let current = true;
    setGiven({ state: "loading" });
    api()
      .runInputs(id)
      .then(
        (inputs) => current && setGiven({ state: "read", inputs }),
        (error: unknown) => {
          if (!current) return;
          const notKept = error instanceof CvflowError && error.code === "run_inputs_not_kept";
          setGiven({ state: "none", note: notKept ? "A sync run keeps no inputs." : `The run's inputs could not be read: ${describeError(error)}` });
        },
      );
    return () => {
      current = false;
    };
  }, [id]);
  return given;
}
