/** Placeholder: replaced by the view's owner. */
export function RunView(_props: { id: string }) {
  return <p>RunView</p>;
}
