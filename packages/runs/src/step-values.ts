/**
 * A step's output, as the executor holds it, <-> a JSON value plus binary parts, losslessly: what
 * a checkpoint keeps so that a resumed or retried run continues with the very values the step
 * produced (S3StepCheckpoints).
 *
 * The output is the step's records nested by level (arrays), SKIP where an element was not run, a
 * flow-control step's records holding its DECISION set, and whatever the blocks put in records:
 * JSON values, Detections, WorkflowImages, typed arrays and Buffers, Dates, Sets, Maps, bigints,
 * undefined, and numbers JSON has no form for (NaN, the infinities, -0). Each of those is written
 * as an object tagged `$t`; a plain object that has a `$t` key of its own is wrapped, so that no
 * value is ever taken for a tag. Anything else (a function, an instance of another class) is
 * refused with StepValueNotEncodable naming where it is: a checkpoint never loses part of a value
 * silently. A Secret is kept as the name of the variable it was read from, never its value, and
 * read again from the environment when the checkpoint is restored.
 *
 * Binary data goes into parts: an image's encoded bytes as they came (never re-encoded) or, for an
 * image made from pixels (a crop), its raw pixels, each image a part of its own; the other
 * binaries (box columns, masks, typed arrays) packed into one shared part, read back by offset.
 * Numeric arrays are kept as their bytes in this machine's byte order (little-endian on every
 * platform Node and Lambda run on). The same Detections or image met twice is written once and
 * comes back as one object.
 */
import { DECISION, Detections, Secret, SKIP, type BitMask, type DetectionsInit } from "@cvflow/engine";
import { isRecord } from "@cvflow/wire";
import { openImage, WorkflowImage, type Channels, type ImageLineage } from "@cvflow/vision";

/** The JSON side of an encoded output (its `$t`-tagged objects point into the parts). */
export type StepValueJson = unknown;

export interface EncodedStepOutput {
  json: StepValueJson;
  parts: Uint8Array[];
}

/** A value a checkpoint cannot keep; `path` says where it is in the step's output (`[0].predictions`). */
export class StepValueNotEncodable extends Error {
  constructor(
    readonly path: string,
    what: string,
  ) {
    super(`The step's output holds ${what} at ${path || "its root"}, which a checkpoint cannot keep`);
    this.name = "StepValueNotEncodable";
  }
}

/** Where binary data is: a part, and a range of it. */
interface PartRef {
  part: number;
  offset: number;
  length: number;
}

const TYPED_ARRAYS = {
  Uint8Array,
  Uint8ClampedArray,
  Int8Array,
  Uint16Array,
  Int16Array,
  Uint32Array,
  Int32Array,
  Float32Array,
  Float64Array,
  BigInt64Array,
  BigUint64Array,
} as const;
type TypedArrayName = keyof typeof TYPED_ARRAYS | "Buffer";
type TypedArray = InstanceType<(typeof TYPED_ARRAYS)[keyof typeof TYPED_ARRAYS]>;
type TypedArrayConstructor = { new (buffer: ArrayBuffer, offset: number, length: number): TypedArray; BYTES_PER_ELEMENT: number };

const SPECIAL_NUMBERS: Record<string, number> = { NaN: Number.NaN, Infinity: Number.POSITIVE_INFINITY, "-Infinity": Number.NEGATIVE_INFINITY, "-0": -0 };

export async function encodeStepOutput(output: unknown): Promise<EncodedStepOutput> {
  // Synchronous but for images whose pixels must be decoded first (see Encoder.image): those are
  // loaded, and the output encoded again, which then finds them decoded.
  for (;;) {
    const encoder = new Encoder();
    const json = encoder.value(output, "");
    if (encoder.loading.length === 0) return { json, parts: encoder.parts() };
    await Promise.all(encoder.loading);
  }
}

export async function decodeStepOutput(json: StepValueJson, parts: readonly Uint8Array[]): Promise<unknown> {
  return new Decoder(parts).value(json);
}

class Encoder {
  private readonly ownParts: Uint8Array[] = [];
  private readonly packed: Uint8Array[] = [];
  private packedLength = 0;
  /** Index of the shared part, once something is packed. */
  private packPart: number | undefined;
  private readonly objectIds = new Map<object, number>();
  /** The objects on the way down to the current value: a cycle is refused, not followed forever. */
  private readonly ancestors = new Set<object>();
  /** Images met whose pixels are being decoded: the output is encoded again once they are. */
  readonly loading: Promise<unknown>[] = [];

  parts(): Uint8Array[] {
    const parts = [...this.ownParts];
    if (this.packPart !== undefined) parts[this.packPart] = concat(this.packed, this.packedLength);
    return parts;
  }

  value(value: unknown, path: string): unknown {
    switch (typeof value) {
      case "string":
      case "boolean":
        return value;
      case "number":
        if (Number.isFinite(value) && !Object.is(value, -0)) return value;
        return { $t: "number", value: Object.is(value, -0) ? "-0" : String(value) };
      case "undefined":
        return { $t: "undefined" };
      case "bigint":
        return { $t: "bigint", value: value.toString() };
      case "symbol":
        if (value === SKIP) return { $t: "skip" };
        throw new StepValueNotEncodable(path, `the symbol ${value.description ?? "(unnamed)"}`);
      case "function":
        throw new StepValueNotEncodable(path, "a function");
    }
    if (value === null) return null;
    const object = value as object;
    if (this.ancestors.has(object)) throw new StepValueNotEncodable(path, "a value that contains itself");
    this.ancestors.add(object);
    try {
      return this.object(object, path);
    } finally {
      this.ancestors.delete(object);
    }
  }

  private object(value: object, path: string): unknown {
    if (value instanceof Detections || value instanceof WorkflowImage) {
      const known = this.objectIds.get(value);
      if (known !== undefined) return { $t: "same", id: known };
      const id = this.objectIds.size;
      this.objectIds.set(value, id);
      return { ...(value instanceof Detections ? this.detections(value, path) : this.image(value, path)), id };
    }
    if (Array.isArray(value)) {
      const items = new Array<unknown>(value.length);
      // Indexed, not mapped: a hole is kept as undefined rather than dropped.
      for (let i = 0; i < value.length; i++) items[i] = this.value(value[i], `${path}[${i}]`);
      return items;
    }
    if (ArrayBuffer.isView(value)) {
      const type = typedArrayName(value, path);
      return { $t: "bytes", type, ref: this.pack(value) };
    }
    if (value instanceof Date) return { $t: "date", time: this.value(value.getTime(), path) };
    if (value instanceof Secret) return { $t: "secret", name: value.name };
    if (value instanceof Set) return { $t: "set", items: this.value([...value], path) };
    if (value instanceof Map) return { $t: "map", entries: this.value([...value], path) };
    const prototype = Object.getPrototypeOf(value) as unknown;
    if (prototype !== Object.prototype && prototype !== null) {
      throw new StepValueNotEncodable(path, `an instance of ${(value as { constructor?: { name?: string } }).constructor?.name || "a class"}`);
    }
    const symbols = Object.getOwnPropertySymbols(value);
    if (symbols.some((symbol) => symbol !== DECISION)) throw new StepValueNotEncodable(path, "an object with symbol keys");
    const fields = this.fields(value as Record<string, unknown>, path);
    if (symbols.includes(DECISION)) {
      const decision = (value as { [DECISION]: Set<string> })[DECISION];
      return { $t: "decision", next: [...decision], ...(Object.keys(fields).length > 0 ? { fields } : {}) };
    }
    return "$t" in fields ? { $t: "object", fields } : fields;
  }

  private fields(value: Record<string, unknown>, path: string): Record<string, unknown> {
    const fields: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) fields[key] = this.value(item, `${path}.${key}`);
    return fields;
  }

  private detections(value: Detections, path: string): Record<string, unknown> {
    return {
      $t: "detections",
      image: { width: value.image.width, height: value.image.height },
      xyxy: this.pack(value.xyxy),
      confidence: this.pack(value.confidence),
      classId: this.pack(value.classId),
      className: this.value(value.className, `${path}.className`),
      detectionId: this.value(value.detectionId, `${path}.detectionId`),
      parentId: this.value(value.parentId, `${path}.parentId`),
      ...(value.masks ? { masks: value.masks.map((mask) => (mask ? { ...maskShape(mask), data: this.pack(mask.data) } : null)) } : {}),
      ...(value.keypoints ? { keypoints: this.value(value.keypoints, `${path}.keypoints`) } : {}),
      // Pairs, not an object: a column may be named anything, `$t` included.
      data: this.value(Object.entries(value.data), `${path}.data`),
    };
  }

  private image(image: WorkflowImage, path: string): Record<string, unknown> {
    const shape = { width: image.width, height: image.height, channels: image.channels };
    const lineage = this.value(image.lineage, `${path}.lineage`);
    // The bytes it was decoded from while its pixels are theirs; else its pixels (decoded first
    // when they were not yet: an oriented input image has no bytes that are its pixels).
    const source = image.source;
    if (source) return { $t: "image", ...shape, lineage, source: this.ownPart(source) };
    if (!image.isDecoded) {
      this.loading.push(image.load());
      return { $t: "image" };
    }
    return { $t: "image", ...shape, lineage, pixels: this.ownPart(image.pixels.data) };
  }

  private ownPart(bytes: Uint8Array): number {
    this.ownParts.push(bytes);
    return this.ownParts.length - 1;
  }

  private pack(view: ArrayBufferView): PartRef {
    this.packPart ??= this.ownPart(new Uint8Array(0));
    const bytes = new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
    // Aligned to 8 bytes, so that a part read into one buffer could be viewed in place.
    const offset = Math.ceil(this.packedLength / 8) * 8;
    if (offset > this.packedLength) this.packed.push(new Uint8Array(offset - this.packedLength));
    this.packed.push(bytes);
    this.packedLength = offset + bytes.length;
    return { part: this.packPart, offset, length: bytes.length };
  }
}

class Decoder {
  private readonly objects = new Map<number, object>();

  constructor(private readonly parts: readonly Uint8Array[]) {}

  async value(json: unknown): Promise<unknown> {
    if (Array.isArray(json)) {
      const items = new Array<unknown>(json.length);
      for (let i = 0; i < json.length; i++) items[i] = await this.value(json[i]);
      return items;
    }
    if (!isRecord(json)) return json;
    if (!("$t" in json)) return this.fields(json);
    switch (json["$t"]) {
      case "number":
        return SPECIAL_NUMBERS[json["value"] as string];
      case "undefined":
        return undefined;
      case "bigint":
        return BigInt(json["value"] as string);
      case "skip":
        return SKIP;
      case "object":
        return this.fields(json["fields"] as Record<string, unknown>);
      case "decision":
        return Object.assign(json["fields"] ? await this.fields(json["fields"] as Record<string, unknown>) : {}, { [DECISION]: new Set(json["next"] as string[]) });
      case "bytes":
        return this.typedArray(json["type"] as TypedArrayName, json["ref"] as PartRef);
      case "date":
        return new Date((await this.value(json["time"])) as number);
      case "set":
        return new Set((await this.value(json["items"])) as unknown[]);
      case "map":
        return new Map((await this.value(json["entries"])) as [unknown, unknown][]);
      case "same":
        return this.objects.get(json["id"] as number);
      case "secret":
        return Secret.fromEnvironment(json["name"] as string);
      case "detections":
        return this.remember(json, await this.detections(json));
      case "image":
        return this.remember(json, await this.image(json));
      default:
        throw new Error(`Unknown tag "${String(json["$t"])}" in a step's checkpoint`);
    }
  }

  private async fields(json: Record<string, unknown>): Promise<Record<string, unknown>> {
    const fields: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(json)) fields[key] = await this.value(item);
    return fields;
  }

  private remember<T extends object>(json: Record<string, unknown>, value: T): T {
    this.objects.set(json["id"] as number, value);
    return value;
  }

  private async detections(json: Record<string, unknown>): Promise<Detections> {
    const masks = json["masks"] as (Record<string, unknown> | null)[] | undefined;
    const init: DetectionsInit = {
      image: json["image"] as DetectionsInit["image"],
      xyxy: viewAs(Float64Array, this.copy(json["xyxy"] as PartRef)),
      confidence: viewAs(Float64Array, this.copy(json["confidence"] as PartRef)),
      classId: viewAs(Int32Array, this.copy(json["classId"] as PartRef)),
      className: (await this.value(json["className"])) as string[],
      detectionId: (await this.value(json["detectionId"])) as string[],
      parentId: (await this.value(json["parentId"])) as (string | null)[],
      masks: masks?.map((mask) => (mask ? { ...(mask as unknown as Omit<BitMask, "data">), data: this.copy(mask["data"] as PartRef) } : null)),
      keypoints: json["keypoints"] === undefined ? undefined : ((await this.value(json["keypoints"])) as DetectionsInit["keypoints"]),
      data: Object.fromEntries((await this.value(json["data"])) as [string, unknown[]][]),
    };
    return new Detections(init);
  }

  private async image(json: Record<string, unknown>): Promise<WorkflowImage> {
    const width = json["width"] as number;
    const height = json["height"] as number;
    const channels = json["channels"] as Channels;
    const lineage = (await this.value(json["lineage"])) as ImageLineage;
    if (typeof json["pixels"] === "number") return new WorkflowImage({ data: this.part(json["pixels"]), width, height, channels }, lineage);
    const bytes = this.part(json["source"] as number);
    // Admitted when the step first made it: the limits are its own size, not the service's.
    const image = await openImage(bytes, lineage, { maxBytes: bytes.length, maxPixels: width * height });
    if (image.width !== width || image.height !== height) throw new Error(`A checkpointed image decodes to ${image.width}x${image.height}, not ${width}x${height}`);
    return image;
  }

  private part(index: number): Uint8Array {
    const part = this.parts[index];
    if (!part) throw new Error(`A step's checkpoint lacks its binary part ${index}`);
    return part;
  }

  /** A copy of the range (a Buffer's slice would be a view of the part): the value owns its memory, aligned for any element size. */
  private copy(ref: PartRef): Uint8Array<ArrayBuffer> {
    return new Uint8Array(this.part(ref.part).subarray(ref.offset, ref.offset + ref.length));
  }

  private typedArray(type: TypedArrayName, ref: PartRef): TypedArray | Buffer {
    const bytes = this.copy(ref);
    if (type === "Buffer") return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const Type = TYPED_ARRAYS[type] as unknown as TypedArrayConstructor;
    return viewAs(Type, bytes);
  }
}

function viewAs<T>(Type: { new (buffer: ArrayBuffer, offset: number, length: number): T; BYTES_PER_ELEMENT: number }, bytes: Uint8Array<ArrayBuffer>): T {
  return new Type(bytes.buffer, bytes.byteOffset, bytes.byteLength / Type.BYTES_PER_ELEMENT);
}

function typedArrayName(view: ArrayBufferView, path: string): TypedArrayName {
  if (Buffer.isBuffer(view)) return "Buffer";
  const name = view.constructor.name;
  if (name in TYPED_ARRAYS && view instanceof TYPED_ARRAYS[name as keyof typeof TYPED_ARRAYS]) return name as TypedArrayName;
  throw new StepValueNotEncodable(path, `a ${name}`);
}

function maskShape(mask: BitMask): Omit<BitMask, "data"> {
  return { width: mask.width, height: mask.height, left: mask.left, top: mask.top, columns: mask.columns, rows: mask.rows };
}

function concat(chunks: readonly Uint8Array[], length: number): Uint8Array {
  const out = new Uint8Array(length);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
}
