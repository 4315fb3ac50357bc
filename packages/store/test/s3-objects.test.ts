/**
 * What the local server never answers but S3 does: 409 ConditionalRequestConflict, when a
 * conditional write races another. It is sent again (S3's advice), and a conflict that persists
 * counts as a failed precondition.
 */
import { PutObjectCommand, S3ServiceException, type S3Client } from "@aws-sdk/client-s3";
import { describe, expect, it } from "vitest";
import { ConditionFailed, JsonObjects } from "../src/s3-objects.js";

function conflict(): S3ServiceException {
  return new S3ServiceException({
    name: "ConditionalRequestConflict",
    $fault: "client",
    $metadata: { httpStatusCode: 409 },
    message: "A conflicting conditional operation is currently in progress against this resource.",
  });
}

/** A client whose PutObject answers `conflicts` times with 409, then succeeds. */
function conflictingClient(conflicts: number): { client: S3Client; sent: () => number } {
  let sent = 0;
  const client = {
    async send(command: unknown) {
      expect(command).toBeInstanceOf(PutObjectCommand);
      sent++;
      if (sent <= conflicts) throw conflict();
      return { ETag: '"etag"' };
    },
  } as unknown as S3Client;
  return { client, sent: () => sent };
}

describe("JsonObjects under 409 ConditionalRequestConflict", () => {
  it("sends a conditional write again after a conflict", async () => {
    const { client, sent } = conflictingClient(2);
    expect(await new JsonObjects(client, "b").write("k", {}, { ifMatch: '"old"' })).toBe('"etag"');
    expect(sent()).toBe(3);
  });

  it("reports a conflict that persists as a failed precondition", async () => {
    const { client, sent } = conflictingClient(Infinity);
    const error = await new JsonObjects(client, "b").write("k", {}, { ifNoneMatch: "*" }).catch((error: unknown) => error);
    expect(error).toBeInstanceOf(ConditionFailed);
    expect((error as ConditionFailed).reason).toBe("precondition");
    expect(sent()).toBe(4);
  });
});
