/**
 * "Add step": a button that opens a modal dialog to pick a block — type to search (as the
 * catalogue does), ↑/↓ to move, Enter to pick, Escape to close; or click one. The editor shows it
 * and inserts the picked block's step (insertStep).
 */
import type { BlockDescription } from "@cvflow/wire";
import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import { blockFamily } from "./block-fields.js";
import { searchBlocks } from "./block-search.js";
import { useBlocks } from "./use-blocks.js";
import "./blocks.css";

export function BlockPicker({ onPick }: { onPick(block: BlockDescription): void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [open, setOpen] = useState(false);
  const show = () => {
    setOpen(true);
    dialog.current?.showModal();
  };
  return (
    <>
      <button type="button" class="quiet" data-testid="add-step" aria-haspopup="dialog" onClick={show}>
        Add step
      </button>
      <dialog ref={dialog} class="picker" data-testid="block-picker" aria-labelledby="picker-title" onClose={() => setOpen(false)}>
        {open && (
          <PickerBody
            onPick={(block) => {
              dialog.current?.close();
              onPick(block);
            }}
            onCancel={() => dialog.current?.close()}
          />
        )}
      </dialog>
    </>
  );
}

function PickerBody({ onPick, onCancel }: { onPick(block: BlockDescription): void; onCancel(): void }) {
  const { description, error } = useBlocks();
  const [query, setQuery] = useState("");
  const [active, setActive] = useState(0);
  const found = useMemo(() => searchBlocks(description?.blocks ?? [], query), [description, query]);
  const list = useRef<HTMLUListElement>(null);
  const search = useRef<HTMLInputElement>(null);
  // The dialog opened before this body rendered, so it could not focus the search box itself.
  useEffect(() => search.current?.focus(), []);
  const current = Math.min(active, found.length - 1);
  useEffect(() => {
    list.current?.children[current]?.scrollIntoView({ block: "nearest" });
  }, [current]);
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      const step = event.key === "ArrowDown" ? 1 : -1;
      setActive(Math.max(0, Math.min(found.length - 1, current + step)));
    } else if (event.key === "Enter") {
      event.preventDefault();
      const block = found[current];
      if (block) onPick(block);
    }
  };
  const optionId = (i: number) => `picker-option-${i}`;
  return (
    <div class="picker-body">
      <div class="picker-head">
        <h2 id="picker-title">Add a step</h2>
        <button type="button" class="quiet" onClick={onCancel}>Close</button>
      </div>
      <label>
        Block
        <input
          type="search"
          ref={search}
          aria-controls="picker-options"
          aria-activedescendant={found.length > 0 ? optionId(current) : undefined}
          value={query}
          placeholder="search by name, id, alias, description"
          data-testid="picker-search"
          onInput={(e) => {
            setQuery(e.currentTarget.value);
            setActive(0);
          }}
          onKeyDown={onKeyDown}
        />
      </label>
      {error && <p role="alert" class="error">{error}</p>}
      {description === null && !error && <p class="muted">Loading…</p>}
      <ul id="picker-options" role="listbox" aria-label="Blocks" class="picker-options" ref={list}>
        {found.map((block, i) => (
          <li
            id={optionId(i)}
            role="option"
            aria-selected={i === current}
            data-testid="picker-option"
            data-block={block.manifest_type_identifier}
            onClick={() => onPick(block)}
            onMouseMove={() => i !== current && setActive(i)}
          >
            <span class="catalogue-name">{block.human_friendly_block_name}</span>
            <span class="mono muted catalogue-id">{block.manifest_type_identifier}</span>
            <span class="muted picker-family">{blockFamily(block)}</span>
          </li>
        ))}
      </ul>
      {description !== null && found.length === 0 && <p class="muted">No block matches.</p>}
    </div>
  );
}
