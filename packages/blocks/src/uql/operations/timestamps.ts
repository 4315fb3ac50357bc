/** Timestamp operations: a point in time as ISO 8601 text. */
import { invalidOperationInput } from "../../errors.js";
import { defineOperation } from "../operation-spec.js";

/** ISO 8601 date and time, as Python's isoformat() (offset or none) or JavaScript's toISOString() (Z) writes it. */
const ISO_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})?$/;

const timestampToIsoFormat = defineOperation({
  type: "TimestampToISOFormat",
  // Roboflow's timestamps are Python datetimes; cvflow's (frame_timestamp, current_time's
  // timestamp) are already ISO 8601 text, so a valid one is the answer as it stands.
  description: "A timestamp (a video frame's frame_timestamp, Current Time's timestamp) as ISO 8601 text.",
  compile: (_, { at }) => (value) => {
    if (typeof value !== "string" || !ISO_TIMESTAMP.test(value) || Number.isNaN(Date.parse(value))) {
      throw invalidOperationInput("TimestampToISOFormat", at, "a timestamp", value);
    }
    return value;
  },
});

export const timestampOperations = [timestampToIsoFormat];
