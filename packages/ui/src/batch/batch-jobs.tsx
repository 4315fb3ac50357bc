/** Placeholder: replaced by the view's owner. */
export function BatchJobs(_props: { selected: string | undefined }) {
  return <p>BatchJobs</p>;
}
