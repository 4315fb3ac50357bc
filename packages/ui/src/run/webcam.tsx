/** A webcam preview and its snapshot: getUserMedia → a video → a canvas → a JPEG. The camera stops when it closes. */
import { useEffect, useRef, useState } from "preact/hooks";
import { describeError } from "../errors.js";

const JPEG_QUALITY = 0.92;

export function Webcam({ onSnapshot, onClose }: { onSnapshot(blob: Blob): void; onClose(): void }) {
  const video = useRef<HTMLVideoElement>(null);
  const [error, setError] = useState<string | null>(null);
  const [ready, setReady] = useState(false);

  useEffect(() => {
    let stream: MediaStream | undefined;
    let closed = false;
    navigator.mediaDevices
      .getUserMedia({ video: true, audio: false })
      .then((opened) => {
        if (closed) return opened.getTracks().forEach((track) => track.stop());
        stream = opened;
        if (video.current) video.current.srcObject = opened;
      })
      .catch((failure: unknown) => setError(`The camera could not be opened: ${describeError(failure)}`));
    return () => {
      closed = true;
      stream?.getTracks().forEach((track) => track.stop());
    };
  }, []);

  const snap = () => {
    const element = video.current;
    if (!element || element.videoWidth === 0) return;
    const canvas = document.createElement("canvas");
    canvas.width = element.videoWidth;
    canvas.height = element.videoHeight;
    canvas.getContext("2d")?.drawImage(element, 0, 0);
    canvas.toBlob((blob) => blob && onSnapshot(blob), "image/jpeg", JPEG_QUALITY);
  };

  return (
    <div class="webcam">
      {error ? <p class="error" role="alert">{error}</p> : <video ref={video} autoplay muted playsInline onLoadedData={() => setReady(true)} aria-label="Webcam preview" />}
      <div class="image-picker-actions">
        <button type="button" onClick={snap} disabled={!ready}>Take snapshot</button>
        <button type="button" class="quiet" onClick={onClose}>Close camera</button>
      </div>
    </div>
  );
}
