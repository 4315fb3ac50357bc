/**
 * QR Code Generator: an image of the QR code of `text` (qr-code.ts: the modules Python's qrcode
 * makes), 10 pixels a module, `border` modules of background around, in fill_color on back_color.
 * The image is a new root (parent id `qr_code.<uuid>`, as Roboflow's). Colours are read as the
 * visualizations read them (#RRGGBB, rgb(...), bgr(...), a named colour); the other names PIL
 * would accept are refused.
 */
import { defineBlock } from "@cvflow/engine";
import { inputLineage, WorkflowImage } from "@cvflow/vision";
import { invalidField } from "../errors.js";
import { parseColor } from "../visualizations/draw/color-parsing.js";
import { qrModules, type ErrorLevel } from "./qr-code.js";

const BOX_SIZE = 10;

const ERROR_CORRECTION: Readonly<Record<string, ErrorLevel>> = {
  "Low (~7% word recovery / highest data capacity)": "L",
  "Medium (~15% word recovery)": "M",
  "Quartile (~25% word recovery)": "Q",
  "High (~30% word recovery / lowest data capacity)": "H",
};

interface QrCodeGeneratorParams {
  [key: string]: unknown;
  text: string;
  error_correct: string;
  border: number;
  fill_color: string;
  back_color: string;
}

export const qrCodeGeneratorBlock = defineBlock<QrCodeGeneratorParams>({
  manifest: {
    type: "roboflow_core/qr_code_generator@v1",
    aliases: ["QRCodeGenerator"],
    name: "QR Code Generator",
    description: "Generate a QR code image from text input.",
    family: "transformations",
    fields: {
      text: { description: "The text or URL to encode.", kinds: ["string"], schema: { type: "string" }, required: true },
      error_correct: {
        description: "How much of the code may be damaged and still read: more recovery, less capacity.",
        schema: { enum: Object.keys(ERROR_CORRECTION) },
        default: "Medium (~15% word recovery)",
      },
      border: { description: "Modules of background around the code (the standard asks for 4).", kinds: ["integer"], schema: { type: "integer", minimum: 0 }, default: 4 },
      fill_color: { description: "Colour of the dark modules: #RRGGBB, rgb(r, g, b), bgr(b, g, r) or a name (BLACK, WHITE, ...).", kinds: ["string"], schema: { type: "string" }, default: "BLACK" },
      back_color: { description: "Colour of the background, in the same forms.", kinds: ["string"], schema: { type: "string" }, default: "WHITE" },
    },
    outputs: [{ name: "qr_code", kinds: ["image"] }],
  },
  run({ text, error_correct, border, fill_color, back_color }) {
    const level = ERROR_CORRECTION[error_correct];
    if (level === undefined) throw invalidField(`error_correct must be one of: ${Object.keys(ERROR_CORRECTION).join("; ")}`);
    if (typeof text !== "string" || text === "") throw invalidField("text must be a non-empty string");
    if (!Number.isInteger(border) || border < 0) throw invalidField(`border must be a whole number of modules, 0 or more; got ${border}`);
    const [fill, back] = [parseColor(fill_color), parseColor(back_color)];
    const modules = qrModules(text, level);
    const side = (modules.length + 2 * border) * BOX_SIZE;
    const data = new Uint8Array(side * side * 3);
    for (let y = 0; y < side; y++) {
      const r = Math.floor(y / BOX_SIZE) - border;
      for (let x = 0; x < side; x++) {
        const c = Math.floor(x / BOX_SIZE) - border;
        const dark = modules[r]?.[c] === true;
        data.set(dark ? fill : back, (y * side + x) * 3);
      }
    }
    return { qr_code: new WorkflowImage({ data, width: side, height: side, channels: 3 }, inputLineage(`qr_code.${crypto.randomUUID()}`)) };
  },
});
