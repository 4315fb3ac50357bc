/**
 * The block catalogue (`#/blocks`, a block's page at `#/blocks/{id}`): the service's blocks with
 * search and a family filter; a block's ids, description, fields (type, kinds, default, required,
 * allowed values) and outputs with their kinds; "Add to workflow" puts a step of it into one of the
 * workspace's workflows (its Definition tab inserts it into the draft: pending-step.ts).
 */
import type { BlockDescription, KindDescription } from "@cvflow/wire";
import { useMemo, useState } from "preact/hooks";
import { blockOfType } from "../blocks-catalog.js";
import { href, navigate } from "../router.js";
import { api, workspace } from "../session.js";
import { useLoaded } from "../workflows/use-loaded.js";
import { blockDescriptionText, blockFamily, blockFields, blockOutputs, type BlockField } from "./block-fields.js";
import { blockFamilies, searchBlocks } from "./block-search.js";
import { pendingStep } from "./pending-step.js";
import { useBlocks } from "./use-blocks.js";
import "./blocks.css";

export function BlockCatalogue({ selected }: { selected?: string | undefined }) {
  const { description, error } = useBlocks();
  const [query, setQuery] = useState("");
  const [family, setFamily] = useState("");
  const all = description?.blocks ?? [];
  const found = useMemo(() => searchBlocks(all, query, family), [all, query, family]);
  const block = selected && description ? blockOfType(description, selected) : undefined;
  return (
    <div class={`catalogue${selected ? " catalogue-selected" : ""}`}>
      <section class="catalogue-list" aria-labelledby="catalogue-title">
        <h1 id="catalogue-title">Blocks</h1>
        {error && <p role="alert" class="error">{error}</p>}
        <div class="catalogue-filters">
          <label>
            Search
            <input type="search" value={query} placeholder="name, id, alias, description" data-testid="block-search" onInput={(e) => setQuery(e.currentTarget.value)} />
          </label>
          <label>
            Family
            <select value={family} data-testid="block-family" onChange={(e) => setFamily(e.currentTarget.value)}>
              <option value="">all</option>
              {blockFamilies(all).map((name) => (
                <option value={name}>{name}</option>
              ))}
            </select>
          </label>
        </div>
        {description === null ? (
          !error && <p class="muted">Loading…</p>
        ) : (
          <>
            <p class="muted" aria-live="polite">{found.length} of {all.length} blocks</p>
            <ul class="catalogue-rows">
              {found.map((item) => (
                <li data-testid="block-row" data-block={item.manifest_type_identifier}>
                  <a href={href({ view: "blocks", id: item.manifest_type_identifier })} aria-current={item === block ? "page" : undefined}>
                    <span class="catalogue-name">{item.human_friendly_block_name}</span>
                    <span class="mono muted catalogue-id">{item.manifest_type_identifier}</span>
                  </a>
                </li>
              ))}
            </ul>
          </>
        )}
      </section>
      {selected && description && (
        block ? <BlockPage block={block} kinds={description.kinds} /> : <p role="alert" class="error">No block is called <code>{selected}</code>.</p>
      )}
    </div>
  );
}

function BlockPage({ block, kinds }: { block: BlockDescription; kinds: KindDescription[] }) {
  const kindText = useMemo(() => new Map(kinds.map((kind) => [kind.name, typeof kind["description"] === "string" ? kind["description"] : ""])), [kinds]);
  const fields = blockFields(block);
  const outputs = blockOutputs(block);
  return (
    <article class="block-page" data-testid="block-page" data-block={block.manifest_type_identifier} aria-labelledby="block-title">
      <p class="catalogue-back"><a href={href({ view: "blocks" })}>← All blocks</a></p>
      <h2 id="block-title">{block.human_friendly_block_name}</h2>
      <p>
        <code data-testid="block-id">{block.manifest_type_identifier}</code>
        {block.aliases.length > 0 && (
          <span class="muted"> also {block.aliases.map((alias, i) => <>{i > 0 && ", "}<code>{alias}</code></>)}</span>
        )}
        {blockFamily(block) && <span class="block-family"> {blockFamily(block)}</span>}
      </p>
      <p>{blockDescriptionText(block)}</p>
      {workspace.value && <AddToWorkflow key={workspace.value} space={workspace.value} block={block} />}
      <h3>Fields</h3>
      {fields.length === 0 ? (
        <p class="muted">None besides <code>type</code> and <code>name</code>.</p>
      ) : (
        <ul class="block-fields">
          {fields.map((field) => (
            <FieldItem field={field} kindText={kindText} />
          ))}
        </ul>
      )}
      <h3>Outputs</h3>
      {outputs.length === 0 ? (
        <p class="muted">None.</p>
      ) : (
        <ul class="block-fields">
          {outputs.map((output) => (
            <li data-testid="block-output" data-output={output.name}>
              <code class="block-field-name">{output.name}</code> <Kinds kinds={output.kinds} kindText={kindText} />
            </li>
          ))}
        </ul>
      )}
    </article>
  );
}

function FieldItem({ field, kindText }: { field: BlockField; kindText: ReadonlyMap<string, string> }) {
  const shape = field.shape === "list" ? "list of " : field.shape === "dict" ? "dict of " : "";
  return (
    <li data-testid="block-field" data-field={field.name} data-required={field.required ? "true" : "false"}>
      <div class="block-field-head">
        <code class="block-field-name">{field.name}</code>
        {field.required && <span class="block-required">required</span>}
        {/* A data field's literal "any" says nothing its kinds do not. */}
        {field.type && !field.enum && !(field.type === "any" && field.kinds.length > 0) && <span class="muted">{shape}{field.type}</span>}
      </div>
      {field.selector === "step" && <div>{shape}step selector <code>$steps.name</code></div>}
      {field.kinds.length > 0 && (
        <div>
          {shape}selector of <Kinds kinds={field.kinds} kindText={kindText} />
        </div>
      )}
      {field.enum && (
        <div>
          one of {field.enum.map((value, i) => <>{i > 0 && " "}<code class="block-enum">{JSON.stringify(value)}</code></>)}
        </div>
      )}
      {field.hasDefault && (
        <div>
          default <code data-testid="field-default">{JSON.stringify(field.default)}</code>
        </div>
      )}
      {field.description && <div class="muted">{field.description}</div>}
    </li>
  );
}

function Kinds({ kinds, kindText }: { kinds: string[]; kindText: ReadonlyMap<string, string> }) {
  return (
    <span class="block-kinds">
      {kinds.map((kind) => (
        <span class="block-kind" title={kindText.get(kind) || undefined}>{kind}</span>
      ))}
    </span>
  );
}

function AddToWorkflow({ space, block }: { space: string; block: BlockDescription }) {
  const workflows = useLoaded(() => api().listWorkflows(space), space);
  const [chosen, setChosen] = useState("");
  const list = workflows.value ?? [];
  const target = chosen || list[0]?.url || "";
  const add = (event: Event) => {
    event.preventDefault();
    if (!target) return;
    pendingStep.value = { workflow: target, block };
    navigate({ view: "workflow", id: target, tab: "definition" });
  };
  return (
    <form class="block-add" onSubmit={add} data-testid="add-to-workflow">
      <label>
        Workflow
        <select value={target} onChange={(e) => setChosen(e.currentTarget.value)} disabled={list.length === 0} data-testid="add-to-workflow-target">
          {list.map((workflow) => (
            <option value={workflow.url}>{workflow.name === workflow.url ? workflow.url : `${workflow.name} (${workflow.url})`}</option>
          ))}
        </select>
      </label>
      <button type="submit" disabled={!target}>Add to workflow</button>
      {workflows.error && <span role="alert" class="error">{workflows.error}</span>}
      {workflows.value?.length === 0 && <span class="muted">This workspace has no workflows yet.</span>}
    </form>
  );
}
