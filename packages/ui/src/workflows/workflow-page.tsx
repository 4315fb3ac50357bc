/** Placeholder: replaced by the view's owner. */
import type { WorkflowTab } from "../router.js";

export function WorkflowPage({ id, tab }: { id: string; tab: WorkflowTab }) {
  return <p>{id} {tab}</p>;
}
