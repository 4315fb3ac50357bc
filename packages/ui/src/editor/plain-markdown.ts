/** Stands in for codemirror-json-schema's Markdown renderer (vite.config.ts): a description shown as escaped text. */
export function renderMarkdown(markdown: string): string {
  const holder = document.createElement("div");
  holder.textContent = markdown;
  return holder.innerHTML;
}
