/**
 * The metadata_props of an ONNX file (ModelProto field 14: repeated {key = 1, value = 2}), read
 * straight off the protobuf wire format: onnxruntime-node does not expose custom metadata.
 * Only the top level is walked; the graph (field 7, the bulk of the file) is skipped by length.
 */

const METADATA_PROPS = 14;

export function readOnnxMetadata(model: Uint8Array): Record<string, string> {
  const props: Record<string, string> = {};
  const reader = new WireReader(model);
  while (!reader.done()) {
    const { field, wireType } = reader.tag();
    if (field === METADATA_PROPS && wireType === 2) {
      const entry = reader.message();
      let key = "";
      let value = "";
      while (!entry.done()) {
        const inner = entry.tag();
        if (inner.field === 1 && inner.wireType === 2) key = entry.string();
        else if (inner.field === 2 && inner.wireType === 2) value = entry.string();
        else entry.skip(inner.wireType);
      }
      props[key] = value;
    } else {
      reader.skip(wireType);
    }
  }
  return props;
}

/**
 * Class names from an Ultralytics export's `names` entry, a Python dict literal such as
 * `{0: 'person', 1: 'bicycle', 5: "people's"}`; the ids index the returned list.
 */
export function parseUltralyticsNames(text: string): string[] {
  const names: string[] = [];
  for (const match of text.matchAll(/(\d+)\s*:\s*(?:'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)")/g)) {
    const raw = match[2] ?? match[3] ?? "";
    names[Number(match[1])] = raw.replace(/\\(.)/g, "$1");
  }
  return Array.from(names, (name, id) => name ?? String(id));
}

class WireReader {
  private offset: number;

  constructor(private readonly bytes: Uint8Array, start = 0, private readonly end = bytes.length) {
    this.offset = start;
  }

  done(): boolean {
    return this.offset >= this.end;
  }

  tag(): { field: number; wireType: number } {
    const tag = this.varint();
    return { field: Math.floor(tag / 8), wireType: tag % 8 };
  }

  message(): WireReader {
    const length = this.varint();
    const start = this.offset;
    this.advance(length);
    return new WireReader(this.bytes, start, start + length);
  }

  string(): string {
    const length = this.varint();
    const start = this.offset;
    this.advance(length);
    return new TextDecoder().decode(this.bytes.subarray(start, start + length));
  }

  skip(wireType: number): void {
    switch (wireType) {
      case 0: this.varint(); return;
      case 1: this.advance(8); return;
      case 2: this.advance(this.varint()); return;
      case 5: this.advance(4); return;
      default: throw new Error(`not an ONNX file: protobuf wire type ${wireType} at byte ${this.offset}`);
    }
  }

  // Numbers, not bigints: lengths and tags here stay far below 2^53.
  private varint(): number {
    let value = 0;
    let factor = 1;
    for (;;) {
      if (this.offset >= this.end) throw new Error("not an ONNX file: truncated protobuf varint");
      const byte = this.bytes[this.offset++]!;
      value += (byte & 0x7f) * factor;
      if (byte < 0x80) return value;
      factor *= 128;
    }
  }

  private advance(length: number): void {
    if (this.offset + length > this.end) throw new Error("not an ONNX file: protobuf field runs past its end");
    this.offset += length;
  }
}
