/** The workflow list's search. Pure. */

/** A workflow matches when its name or url contains every word of the query, in any case. */
export function matchesQuery(workflow: { name: string; url: string }, query: string): boolean {
  const haystack = `${workflow.name}\n${workflow.url}`.toLowerCase();
  return query.toLowerCase().split(/\s+/).filter(Boolean).every((word) => haystack.includes(word));
}
