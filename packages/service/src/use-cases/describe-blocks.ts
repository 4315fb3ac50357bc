/**
 * `GET|POST /workflows/blocks/describe`: every block with its ids, its step schema and its outputs'
 * kinds, and every kind — in the shape of the reference server's answer, so that its editors and
 * clients can read it. Built once per engine: the blocks do not change while it runs.
 */
import { KINDS, type JsonSchema, type WorkflowEngine } from "@cvflow/engine";
import type { BlocksDescription } from "@cvflow/wire";
import { ok, type ServiceResponse } from "../http.js";
import { serialisedType } from "./describe-interface.js";

const described = new WeakMap<WorkflowEngine, BlocksDescription>();

export async function describeBlocks(engine: WorkflowEngine): Promise<ServiceResponse> {
  let body = described.get(engine);
  if (!body) described.set(engine, (body = blocksDescription(engine)));
  return ok(body);
}

function blocksDescription(engine: WorkflowEngine): BlocksDescription {
  const grammar = engine.schema() as JsonSchema & { $defs?: Record<string, JsonSchema> };
  // The grammar lists one step schema per registered block, in the registry's order.
  const stepSchemas = grammar.properties?.["steps"]?.items?.oneOf ?? [];
  const blocks = engine.registry.list().map((block, i) => {
    const { manifest } = block;
    const schema = stepSchemas[i] ?? {};
    // Shared definitions (the query language) travel with the schemas that refer to them.
    const blockSchema = JSON.stringify(schema).includes('"$ref"') ? { ...schema, $defs: grammar.$defs } : schema;
    return {
      manifest_type_identifier: manifest.type,
      manifest_type_identifier_aliases: [...(manifest.aliases ?? [])],
      aliases: [...(manifest.aliases ?? [])],
      human_friendly_block_name: manifest.name,
      block_family: manifest.family,
      description: manifest.description,
      block_schema: blockSchema as Record<string, unknown>,
      outputs_manifest: manifest.outputs.map((output) => ({
        name: output.name,
        kind: output.kinds.map((kind) => ({ name: kind, description: describeKind(kind) })),
      })),
    };
  });
  const kinds = Object.keys(KINDS).map((name) => ({ name, description: describeKind(name), serialised_data_type: serialisedType(name) }));
  return { blocks, kinds };
}

function describeKind(kind: string): string {
  return (KINDS as Record<string, string>)[kind] ?? "";
}
