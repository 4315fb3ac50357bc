/**
 * What every WorkflowStore does (packages/store/src/types.ts), run against each implementation:
 * the life of a workflow (create, versions, update, remove, restore), optimistic concurrency
 * under concurrent writers, the orders lists come in, ETags, and the error codes.
 */
import { WorkflowError } from "@cvflow/engine";
import { describe, expect, it } from "vitest";
import type { WorkflowStore } from "../../src/index.js";
import { useStore, type MakeStore } from "./store-under-test.js";

const WS = "acme";

export const spec = (label: string): Record<string, unknown> => ({
  version: "1.0",
  inputs: [{ type: "WorkflowImage", name: "image" }],
  steps: [],
  outputs: [{ type: "JsonField", name: label, selector: "$inputs.image" }],
});

export async function expectError(promise: Promise<unknown>, code: string, status: number): Promise<WorkflowError> {
  const error = await promise.then(
    () => expect.fail(`expected ${status} ${code}`),
    (error: unknown) => error,
  );
  expect(error).toBeInstanceOf(WorkflowError);
  expect({ code: (error as WorkflowError).code, status: (error as WorkflowError).status }).toEqual({ code, status });
  return error as WorkflowError;
}

export function describeWorkflowStoreContract(name: string, makeStore: MakeStore<WorkflowStore>): void {
  describe(`${name}: the WorkflowStore contract`, () => {
    let store: WorkflowStore;
    useStore(makeStore, (made) => (store = made));

    it("keeps a workflow through create, versions, updates, conflicts, removal and restore", async () => {
      const created = await store.create(WS, { url: "detect", name: "Detect", specification: spec("v1") });
      expect(created.value).toMatchObject({ workspace: WS, id: "detect", url: "detect", name: "Detect", public: false, specification: spec("v1") });
      expect(created.etag).toMatch(/^"[0-9a-f]{32}"$/);

      const read = await store.get(WS, "detect");
      expect(read).toEqual(created);

      const updated = await store.update(WS, "detect", { name: "Detect v2", specification: spec("v2") }, read!.etag);
      expect(updated.value).toMatchObject({ name: "Detect v2", specification: spec("v2"), createdAt: created.value.createdAt });
      expect(updated.value.versionId).not.toBe(created.value.versionId);
      expect(updated.etag).not.toBe(created.etag);
      expect(await store.get(WS, "detect")).toEqual(updated);

      const versions = await store.versions(WS, "detect");
      expect(versions).toEqual([
        { versionId: updated.value.versionId, createdAt: updated.value.updatedAt, name: "Detect v2" },
        { versionId: created.value.versionId, createdAt: created.value.createdAt, name: "Detect" },
      ]);
      expect(await store.getVersion(WS, "detect", versions[1]!.versionId)).toEqual(created.value);
      expect(await store.getVersion(WS, "detect", versions[0]!.versionId)).toEqual(updated.value);
      expect(await store.getVersion(WS, "detect", "0000000000000000000000000")).toBeUndefined();
      expect(await store.getVersion(WS, "detect", "../workflows/detect")).toBeUndefined();

      // The etag of the first read is stale now.
      await expectError(store.update(WS, "detect", { name: "lost" }, read!.etag), "precondition_failed", 412);
      await expectError(store.remove(WS, "detect", read!.etag), "precondition_failed", 412);
      expect((await store.get(WS, "detect"))!.value.name).toBe("Detect v2");

      await store.remove(WS, "detect", updated.etag);
      expect(await store.get(WS, "detect")).toBeUndefined();
      await expectError(store.versions(WS, "detect"), "workflow_not_found", 404);
      await expectError(store.update(WS, "detect", { name: "gone" }), "workflow_not_found", 404);
      // A removed workflow's versions stay readable (they are not in the trash, and never change).
      expect(await store.getVersion(WS, "detect", versions[1]!.versionId)).toEqual(created.value);
      const trash = await store.trash(WS);
      expect(trash).toHaveLength(1);
      expect(trash[0]).toMatchObject({ url: "detect", name: "Detect v2", versionId: updated.value.versionId });
      expect(trash[0]).not.toHaveProperty("specification");
      expect(Date.parse(trash[0]!.deletedAt)).not.toBeNaN();

      const restored = await store.restore(WS, "detect");
      expect(restored.value).toEqual(updated.value);
      // The same document as before the removal: the same ETag.
      expect(restored.etag).toBe(updated.etag);
      expect(await store.get(WS, "detect")).toEqual(restored);
      expect(await store.versions(WS, "detect")).toEqual(versions);
      expect(await store.trash(WS)).toEqual([]);
      await expectError(store.restore(WS, "detect"), "workflow_not_found", 404);
    });

    it("takes an ETag with or without its quotes", async () => {
      const { etag } = await store.create(WS, { url: "quotes", name: "Quotes", specification: spec("q") });
      const updated = await store.update(WS, "quotes", { public: true }, etag.replace(/"/g, ""));
      expect(updated.value.public).toBe(true);
      await store.remove(WS, "quotes", updated.etag.replace(/"/g, ""));
      expect(await store.get(WS, "quotes")).toBeUndefined();
    });

    it("of 10 concurrent updates with one ETag exactly one wins, the others are 412, and nothing is lost", async () => {
      const { etag } = await store.create(WS, { url: "race", name: "Race", specification: spec("start") });
      const results = await Promise.allSettled(
        Array.from({ length: 10 }, (_, i) => store.update(WS, "race", { name: `writer ${i}`, specification: spec(`writer ${i}`) }, etag)),
      );
      const winners = results.filter((result) => result.status === "fulfilled");
      expect(winners).toHaveLength(1);
      for (const result of results) {
        if (result.status === "rejected") expect(result.reason).toMatchObject({ code: "precondition_failed", status: 412 });
      }
      const winner = winners[0]!.value;
      const final = await store.get(WS, "race");
      expect(final).toEqual(winner);
      const versions = await store.versions(WS, "race");
      expect(versions.map((version) => version.name)).toEqual([winner.value.name, "Race"]);
    });

    it("applies every one of concurrent updates without an ETag (read, write conditionally, retry)", async () => {
      await store.create(WS, { url: "counter", name: "0", specification: spec("counter") });
      await Promise.all(Array.from({ length: 6 }, (_, i) => store.update(WS, "counter", { name: `update ${i}` })));
      const versions = await store.versions(WS, "counter");
      expect(versions).toHaveLength(7);
      expect(new Set(versions.slice(0, 6).map((version) => version.name))).toEqual(new Set(Array.from({ length: 6 }, (_, i) => `update ${i}`)));
      expect((await store.get(WS, "counter"))!.value.name).toBe(versions[0]!.name);
    });

    it("refuses a second create of a url (409), and a restore over a url taken meanwhile (409)", async () => {
      const first = await store.create(WS, { url: "taken", name: "First", specification: spec("first") });
      await expectError(store.create(WS, { url: "taken", name: "Second", specification: spec("second") }), "workflow_exists", 409);
      expect(await store.get(WS, "taken")).toEqual(first);

      const results = await Promise.allSettled(Array.from({ length: 5 }, (_, i) => store.create(WS, { url: "contested", name: `c${i}`, specification: spec("c") })));
      expect(results.filter((result) => result.status === "fulfilled")).toHaveLength(1);

      await store.remove(WS, "taken");
      const second = await store.create(WS, { url: "taken", name: "Second", specification: spec("second") });
      await expectError(store.restore(WS, "taken"), "workflow_exists", 409);
      expect(await store.get(WS, "taken")).toEqual(second);
      expect((await store.trash(WS)).map((workflow) => workflow.name)).toContain("First");

      // Once the url is free again, the latest removal comes back.
      await store.remove(WS, "taken", second.etag);
      expect((await store.restore(WS, "taken")).value.name).toBe("Second");
      expect((await store.trash(WS)).filter((workflow) => workflow.url === "taken").map((workflow) => workflow.name)).toEqual(["First"]);
    });

    it("lists a workspace's workflows by url without their specifications, and no other workspace's", async () => {
      await store.create("other", { url: "elsewhere", name: "Elsewhere", specification: spec("x"), public: true });
      const listed = await store.list("other");
      expect(listed).toEqual([expect.objectContaining({ url: "elsewhere", name: "Elsewhere", public: true, workspace: "other" })]);
      expect(listed[0]).not.toHaveProperty("specification");
      expect((await store.list(WS)).map((workflow) => workflow.url)).not.toContain("elsewhere");
      expect(await store.list("empty")).toEqual([]);

      for (const url of ["zeta", "alpha", "mid"]) await store.create("sorted", { url, name: url, specification: spec(url) });
      expect((await store.list("sorted")).map((workflow) => workflow.url)).toEqual(["alpha", "mid", "zeta"]);
      expect(await store.trash("other")).toEqual([]);
    });

    it("validates urls, names and workspaces before they become keys", async () => {
      for (const url of ["", "Upper", "-dash", "a/b", "a.b", "x".repeat(65), "../x"]) {
        await expectError(store.create(WS, { url, name: "n", specification: spec("x") }), "invalid_workflow_url", 400);
      }
      await expectError(store.get(WS, "a/b"), "invalid_workflow_url", 400);
      await expectError(store.create(WS, { url: "ok", name: "", specification: spec("x") }), "invalid_workflow_name", 400);
      await expectError(store.create(WS, { url: "ok", name: "n", specification: [] as unknown as Record<string, unknown> }), "invalid_workflow", 400);
      await expectError(store.list("a/b"), "invalid_workspace", 400);
      expect(await store.get(WS, "ok")).toBeUndefined();
      // 64 characters, digits, - and _ are fine.
      await store.create(WS, { url: "a".repeat(63) + "_", name: "long", specification: spec("x") });
    });
  });
}
