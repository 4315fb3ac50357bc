/**
 * An image input of the run form: pick files, drop them, or take a webcam snapshot (offered only
 * when the browser has a camera); each picked image is previewed and can be removed.
 */
import { useEffect, useRef, useState } from "preact/hooks";
import { formatBytes } from "../format.js";
import { Webcam } from "./webcam.js";

export interface PickedImage {
  blob: Blob;
  label: string;
  /** An object URL for the preview; revoked when the image is removed. */
  url: string;
}

function pickedImage(blob: Blob, label: string): PickedImage {
  return { blob, label, url: URL.createObjectURL(blob) };
}

interface Props {
  name: string;
  images: PickedImage[];
  onChange(images: PickedImage[]): void;
  error?: string | undefined;
}

export function ImagePicker({ name, images, onChange, error }: Props) {
  const [dragging, setDragging] = useState(false);
  const [webcamOpen, setWebcamOpen] = useState(false);
  const hasCamera = useHasCamera();
  const id = `image-input-${name}`;
  const add = (files: Iterable<Blob & { name?: string }>) => {
    const added = [...files].filter((file) => file.type.startsWith("image/")).map((file) => pickedImage(file, file.name ?? "image"));
    if (added.length > 0) onChange([...images, ...added]);
  };
  const remove = (image: PickedImage) => {
    URL.revokeObjectURL(image.url);
    onChange(images.filter((other) => other !== image));
  };
  return (
    <fieldset class={`image-picker${dragging ? " dragging" : ""}`} data-testid={`image-drop-${name}`}
      onDragOver={(event) => {
        event.preventDefault();
        setDragging(true);
      }}
      onDragLeave={() => setDragging(false)}
      onDrop={(event) => {
        event.preventDefault();
        setDragging(false);
        add(event.dataTransfer?.files ?? []);
      }}
    >
      <legend>{name} <span class="muted">image</span></legend>
      <div class="image-picker-actions">
        {/* The input stays in the tab order (hidden from sight only): its label is what shows, lit when it has focus. */}
        <input id={id} class="visually-hidden" type="file" accept="image/*" multiple data-testid={id}
          onChange={(event) => {
            add(event.currentTarget.files ?? []);
            event.currentTarget.value = "";
          }}
        />
        <label class="file-button" for={id}>Choose image…</label>
        {hasCamera && !webcamOpen && <button type="button" class="quiet" onClick={() => setWebcamOpen(true)}>Use webcam</button>}
        <span class="muted">or drop images here</span>
      </div>
      {webcamOpen && (
        <Webcam
          onSnapshot={(blob) => {
            onChange([...images, pickedImage(blob, "webcam.jpg")]);
            setWebcamOpen(false);
          }}
          onClose={() => setWebcamOpen(false)}
        />
      )}
      {images.length > 0 && (
        <ul class="image-previews">
          {images.map((image) => (
            <li key={image.url}>
              <img src={image.url} alt={`${name}: ${image.label}`} data-testid="image-preview" />
              <span class="muted">{image.label} · {formatBytes(image.blob.size)}</span>
              <button type="button" class="quiet" onClick={() => remove(image)} aria-label={`Remove ${image.label}`}>Remove</button>
            </li>
          ))}
        </ul>
      )}
      {images.length > 1 && <p class="muted">{images.length} images: the workflow runs once for each.</p>}
      {error && <p class="error" role="alert">{error}</p>}
    </fieldset>
  );
}

/** Whether the browser lists a camera (labels need a permission; the kind does not). */
function useHasCamera(): boolean {
  const [has, setHas] = useState(false);
  const live = useRef(true);
  useEffect(() => {
    live.current = true;
    navigator.mediaDevices
      ?.enumerateDevices()
      .then((devices) => live.current && setHas(devices.some((device) => device.kind === "videoinput")))
      .catch(() => undefined);
    return () => {
      live.current = false;
    };
  }, []);
  return has;
}
