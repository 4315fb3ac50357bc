/** A modal dialog (the browser's <dialog>: focus kept inside, Escape closes it). */
import type { ComponentChildren } from "preact";
import { useEffect, useRef } from "preact/hooks";

export function Modal(props: { title: string; onClose(): void; children: ComponentChildren; testId?: string }) {
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    dialog.current?.showModal();
  }, []);
  return (
    <dialog ref={dialog} class="modal" aria-labelledby="modal-title" onClose={props.onClose} data-testid={props.testId}>
      <h2 id="modal-title">{props.title}</h2>
      {props.children}
    </dialog>
  );
}
