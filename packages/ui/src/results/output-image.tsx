/** An output image (`{"type": "base64" | "url", "value"}`) as an `<img>`, from RunOutputs' object URLs. */
import { useContext } from "preact/hooks";
import { ImageUrlsContext } from "./image-urls.js";
import type { ImageValue } from "./output-values.js";

export function OutputImage({ image, alt }: { image: ImageValue; alt: string }) {
  const urls = useContext(ImageUrlsContext);
  if (!urls) throw new Error("OutputImage is shown inside RunOutputs");
  return <img class="output-image" data-testid="output-image" src={urls.urlOf(image)} alt={alt} />;
}
