/**
 * A run's outputs, each shown for what it is (output-values.ts): images as `<img>`, detections
 * drawn over their image with a confidence slider, batches element by element, objects holding
 * either field by field, the rest as a JSON tree. `outputs` is a run's list (one record per input
 * image) or one record; `inputImages` (input name → object or data URL) are the images the
 * detections may be drawn over.
 */
import type { ComponentChildren } from "preact";
import { useEffect, useMemo } from "preact/hooks";
import { DetectionsView } from "./detections-view.js";
import { ImageUrls, ImageUrlsContext } from "./image-urls.js";
import { JsonTree } from "./json-tree.js";
import { OutputImage } from "./output-image.js";
import { imagesIn, outputNode, outputRecords, type ImageValue, type OutputNode } from "./output-values.js";
import "./results.css";

interface RunOutputsProps {
  outputs: Record<string, unknown> | unknown[];
  inputImages?: Record<string, string>;
}

const NO_INPUTS: Record<string, string> = {};

export function RunOutputs({ outputs, inputImages = NO_INPUTS }: RunOutputsProps) {
  const urls = useMemo(() => new ImageUrls(), [outputs]);
  useEffect(() => () => urls.revokeAll(), [urls]);
  const records = outputRecords(outputs);
  if (records.length === 0) return <p class="muted" data-testid="run-outputs">No outputs.</p>;
  return (
    <ImageUrlsContext.Provider value={urls}>
      <div class="run-outputs" data-testid="run-outputs">
        {records.map((record, i) =>
          records.length === 1 ? (
            <OutputRecord record={record} inputImages={inputImages} />
          ) : (
            <section class="output-record" aria-label={`Outputs of image ${i + 1}`}>
              <h3>Image {i + 1}</h3>
              <OutputRecord record={record} inputImages={inputImages} />
            </section>
          ),
        )}
      </div>
    </ImageUrlsContext.Provider>
  );
}

function OutputRecord({ record, inputImages }: { record: Record<string, unknown>; inputImages: Record<string, string> }) {
  // The images of this record: where detections in a crop's own coordinates find their crop.
  const images = useMemo(() => imagesIn(record), [record]);
  return (
    <>
      {Object.entries(record).map(([name, value]) => (
        <section class="output" data-testid="output" data-output={name} aria-label={`Output ${name}`}>
          <h4 class="output-name mono">{name}</h4>
          <Node node={outputNode(value)} path={name} inputImages={inputImages} images={images} />
        </section>
      ))}
    </>
  );
}

function Node({ node, path, inputImages, images }: { node: OutputNode; path: string; inputImages: Record<string, string>; images: ImageValue[] }): ComponentChildren {
  switch (node.kind) {
    case "image":
      return <OutputImage image={node.image} alt={path} />;
    case "detections":
      return <DetectionsView value={node.detections} label={path} inputImages={inputImages} outputImages={images} />;
    case "json":
      return <JsonTree value={node.value} />;
    case "batch":
      return (
        <ol class="output-batch" start={0}>
          {node.items.map((item, i) => (
            <li data-testid="output-element">
              <span class="muted mono">[{i}]</span>
              <Node node={item} path={`${path}[${i}]`} inputImages={inputImages} images={images} />
            </li>
          ))}
        </ol>
      );
    case "fields":
      return (
        <dl class="output-fields">
          {node.fields.map(([key, item]) => (
            <>
              <dt class="mono">{key}</dt>
              <dd>
                <Node node={item} path={`${path}.${key}`} inputImages={inputImages} images={images} />
              </dd>
            </>
          ))}
        </dl>
      );
  }
}
