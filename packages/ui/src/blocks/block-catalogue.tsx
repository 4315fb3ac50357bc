/** Placeholder: replaced by the view's owner. */
export function BlockCatalogue() {
  return <p>BlockCatalogue</p>;
}
