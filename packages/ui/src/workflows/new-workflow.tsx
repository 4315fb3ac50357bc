/** Placeholder: replaced by the view's owner. */
export function NewWorkflow() {
  return <p>NewWorkflow</p>;
}
