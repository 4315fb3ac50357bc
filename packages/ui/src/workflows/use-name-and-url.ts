/** A workflow's name and url as a form edits them: the url follows the name (the rule the service itself uses) until it is typed by hand. */
import { urlFromName } from "@cvflow/wire";
import { useState } from "preact/hooks";

export function useNameAndUrl(initialName: string) {
  const [name, setName] = useState(initialName);
  const [typedUrl, setUrl] = useState<string | null>(null);
  return { name, setName, url: typedUrl ?? urlFromName(name), setUrl };
}
