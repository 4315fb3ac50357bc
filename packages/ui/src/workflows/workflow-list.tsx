/** Placeholder: replaced by the view's owner. */
export function WorkflowList() {
  return <p>WorkflowList</p>;
}
