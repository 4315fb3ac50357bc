/**
 * QR codes as Roboflow's QR Code Generator makes them with Python's `qrcode` (qr.add_data(text),
 * make(fit=True), box size 10): the same segments (a run of at least 20 digits, or of at least 20
 * alphanumeric-mode characters, gets its own segment; the rest is bytes, UTF-8), the smallest
 * version that holds them, and the mask that library picks — its own penalty score, computed with
 * the format and version areas left light, lowest score first — so that the modules are the same.
 * npm's `qrcode` encodes; only the choice of segments and mask is made here.
 */
import QRCode from "qrcode";

export type ErrorLevel = "L" | "M" | "Q" | "H";

/** Characters of the QR alphanumeric mode. */
const ALPHANUMERIC = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";
const MIN_SPLIT = 20;

type Segment = QRCode.QRCodeSegment;

/** Splits `text` into runs matching `test` at least MIN_SPLIT long and what lies between them. */
function split(text: string, test: (c: string) => boolean, whole: boolean): { match: boolean; chunk: string }[] {
  if (whole) return [{ match: text.length > 0 && [...text].every(test), chunk: text }];
  const parts: { match: boolean; chunk: string }[] = [];
  let plain = "";
  let i = 0;
  while (i < text.length) {
    let j = i;
    while (j < text.length && test(text[j]!)) j++;
    if (j - i >= MIN_SPLIT) {
      if (plain) parts.push({ match: false, chunk: plain });
      plain = "";
      parts.push({ match: true, chunk: text.slice(i, j) });
      i = j;
    } else {
      plain += text.slice(i, Math.max(j, i + 1));
      i = Math.max(j, i + 1);
    }
  }
  if (plain) parts.push({ match: false, chunk: plain });
  return parts;
}

/** Python qrcode's optimal_data_chunks(text, minimum=20) (a text of at most 20 is one chunk, in the narrowest mode holding all of it). */
export function qrSegments(text: string): Segment[] {
  const whole = new TextEncoder().encode(text).length <= MIN_SPLIT;
  const isDigit = (c: string): boolean => c >= "0" && c <= "9";
  const isAlnum = (c: string): boolean => ALPHANUMERIC.includes(c);
  return split(text, isDigit, whole).flatMap(({ match, chunk }): Segment[] =>
    match
      ? [{ data: chunk, mode: "numeric" }]
      : split(chunk, isAlnum, whole).map(({ match: alnum, chunk: sub }): Segment => (alnum ? { data: sub, mode: "alphanumeric" } : { data: Buffer.from(sub, "utf8"), mode: "byte" })),
  );
}

type Matrix = boolean[][];

/** Python qrcode's lost_point: its four penalty rules. */
export function qrPenalty(m: Matrix): number {
  const n = m.length;
  let lost = 0;
  // Rule 1: runs of 5 or more in a row or column, each length counted once per run, scored length - 2.
  const runs = (get: (a: number, b: number) => boolean): void => {
    for (let a = 0; a < n; a++) {
      let previous = get(a, 0);
      let length = 0;
      for (let b = 0; b < n; b++) {
        if (get(a, b) === previous) length++;
        else {
          if (length >= 5) lost += length - 2;
          length = 1;
          previous = get(a, b);
        }
      }
      if (length >= 5) lost += length - 2;
    }
  };
  runs((r, c) => m[r]![c]!);
  runs((c, r) => m[r]![c]!);
  // Rule 2: 2x2 blocks of one colour, 3 each (with the library's skip after a differing right column).
  for (let r = 0; r < n - 1; r++) {
    for (let c = 0; c < n - 1; c++) {
      const topRight = m[r]![c + 1]!;
      if (topRight !== m[r + 1]![c + 1]!) c++;
      else if (topRight === m[r]![c]! && topRight === m[r + 1]![c]!) lost += 3;
    }
  }
  // Rule 3: 1:1:3:1:1 finder-like patterns with four light modules on one side, 40 each (with the library's skips).
  const finder = (get: (i: number) => boolean): boolean =>
    !get(1) && get(4) && !get(5) && get(6) && !get(9) &&
    ((get(0) && get(2) && get(3) && !get(7) && !get(8) && !get(10)) || (!get(0) && !get(2) && !get(3) && get(7) && get(8) && get(10)));
  for (let a = 0; a < n; a++) {
    for (let b = 0; b < n - 10; b++) {
      const row = (i: number): boolean => m[a]![b + i]!;
      if (finder(row)) lost += 40;
      if (row(10)) b++;
    }
    for (let b = 0; b < n - 10; b++) {
      const column = (i: number): boolean => m[b + i]![a]!;
      if (finder(column)) lost += 40;
      if (column(10)) b++;
    }
  }
  // Rule 4: 10 per whole 5 % the dark share is away from 50 %.
  const dark = m.reduce((s, row) => s + row.filter(Boolean).length, 0);
  lost += Math.trunc(Math.abs((dark / (n * n)) * 100 - 50) / 5) * 10;
  return lost;
}

/** The modules with the format bits, the dark module and the version bits light, as the library scores masks. */
function asScored(m: Matrix, version: number): Matrix {
  const n = m.length;
  const out = m.map((row) => [...row]);
  for (let i = 0; i < 15; i++) {
    out[i < 6 ? i : i < 8 ? i + 1 : n - 15 + i]![8] = false;
    out[8]![i < 8 ? n - i - 1 : i < 9 ? 7 : 14 - i] = false;
  }
  out[n - 8]![8] = false;
  if (version >= 7) {
    for (let i = 0; i < 18; i++) {
      out[Math.floor(i / 3)]![(i % 3) + n - 11] = false;
      out[(i % 3) + n - 11]![Math.floor(i / 3)] = false;
    }
  }
  return out;
}

function modulesOf(qr: QRCode.QRCode): Matrix {
  const n = qr.modules.size;
  return Array.from({ length: n }, (_, r) => Array.from({ length: n }, (_, c) => qr.modules.get(r, c) === 1));
}

/** The QR code's modules (true: dark) as Python's qrcode makes them for `text`. */
export function qrModules(text: string, level: ErrorLevel): Matrix {
  const segments = qrSegments(text);
  let best: { penalty: number; modules: Matrix } | undefined;
  for (let mask = 0; mask < 8; mask++) {
    const qr = QRCode.create(segments, { errorCorrectionLevel: level, maskPattern: mask as QRCode.QRCodeMaskPattern });
    const modules = modulesOf(qr);
    const penalty = qrPenalty(asScored(modules, qr.version));
    if (!best || penalty < best.penalty) best = { penalty, modules };
  }
  return best!.modules;
}
