/** A timestamp on the page: in the reader's locale (format.ts), the exact ISO time as its tooltip. */
import { formatTime } from "./format.js";

export function Time({ iso }: { iso: string }) {
  return <time dateTime={iso} title={iso}>{formatTime(iso)}</time>;
}
