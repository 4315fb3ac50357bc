/**
 * Frees a typed array's memory now rather than at V8's next garbage collection: for the large
 * buffers every frame of a video makes and drops at once (a 640 detector's 2.8 MB output, the
 * 0.9 MB letterboxed frame sharp hands back). V8 counts such memory, held outside its heap, toward
 * its next full mark-compact; left to the collector, ~5 MB a frame set one off every few frames,
 * on the main thread between model runs. Detaching the buffer (ArrayBuffer.prototype.transfer)
 * releases it at once and takes it off that count. Only a view spanning its whole buffer is
 * freed (never a slice of a shared pool); the caller vouches that nothing else reads it, as the
 * view reads as empty afterwards.
 */
export function freeNow(view: ArrayBufferView): void {
  const { buffer } = view;
  if (buffer instanceof ArrayBuffer && !buffer.detached && view.byteOffset === 0 && view.byteLength === buffer.byteLength) buffer.transfer(0);
}
