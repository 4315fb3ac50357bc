/**
 * What a video reference names, and how ffmpeg opens it: a file path, an http(s)/rtsp/rtmp/udp/
 * tcp/srt URL, or a camera — a V4L2 device (`/dev/video0`) or its number (`0`, as Roboflow's
 * `video_reference` takes an OpenCV camera index).
 */
export type VideoReference = string | number;

export interface ResolvedReference {
  /** As ffmpeg is given it (a camera number becomes /dev/videoN). */
  input: string;
  kind: "file" | "url" | "device";
  /** ffmpeg options that go before `-i`. */
  inputArgs: string[];
}

const STREAM_URL = /^(rtsp|rtsps|rtmp|rtmps|udp|tcp|srt):\/\//i;
const HTTP_URL = /^https?:\/\//i;

export function resolveReference(reference: VideoReference): ResolvedReference {
  const text = String(reference);
  if (/^\d+$/.test(text)) return device(`/dev/video${text}`);
  if (/^\/dev\/video\d+$/.test(text)) return device(text);
  // Over TCP: RTSP over UDP loses packets (grey smears) on any but a quiet network.
  if (/^rtsps?:\/\//i.test(text)) return { input: text, kind: "url", inputArgs: ["-rtsp_transport", "tcp"] };
  if (STREAM_URL.test(text) || HTTP_URL.test(text)) return { input: text, kind: "url", inputArgs: [] };
  return { input: text, kind: "file", inputArgs: [] };
}

function device(path: string): ResolvedReference {
  return { input: path, kind: "device", inputArgs: ["-f", "v4l2"] };
}
