/** Placeholder: replaced by the view's owner. */
export function RunHistory() {
  return <p>RunHistory</p>;
}
