/** csvRows: the exact RFC 4180 text, and Python's csv module reading back the same cells. */
import { describe, expect, it } from "vitest";
import { csvRows, resultDocument, type ResultDocument } from "../../src/output/index.js";
import { parseWithPython } from "../../../../test/python-csv.js";

const jpeg = { type: "base64", value: Buffer.from("jpeg").toString("base64") };

const DOCUMENTS: ResultDocument[] = [
  resultDocument("shelf-1/left", "s3://b/in/shelf-1/left.jpg", { count: 2, label: "plain", annotated: jpeg, crops: [jpeg, jpeg] }, true),
  resultDocument("b", "s3://b/in/b.png", { count: 0.25, label: 'say "hi", then\r\nleave', annotated: jpeg, extra: { a: [1, null], "k,v": "é" } }, false),
  resultDocument("c", "s3://b/in/c.png", { count: null, label: "", flag: true }, false),
];

describe("csvRows", () => {
  it("writes the header from the union of outputs in first-seen order and each cell as documented", () => {
    expect(csvRows(DOCUMENTS)).toBe(
      [
        "image,count,label,annotated,crops,extra,flag",
        'shelf-1/left,2,plain,shelf-1/left/annotated.jpg,"[""shelf-1/left/crops/0.jpg"",""shelf-1/left/crops/1.jpg""]",,',
        'b,0.25,"say ""hi"", then\r\nleave",,,"{""a"":[1,null],""k,v"":""é""}",',
        "c,,,,,,true",
        "",
      ].join("\r\n"),
    );
  });

  it("reads back through Python's csv module cell for cell", () => {
    expect(parseWithPython(csvRows(DOCUMENTS))).toEqual([
      ["image", "count", "label", "annotated", "crops", "extra", "flag"],
      ["shelf-1/left", "2", "plain", "shelf-1/left/annotated.jpg", '["shelf-1/left/crops/0.jpg","shelf-1/left/crops/1.jpg"]', "", ""],
      ["b", "0.25", 'say "hi", then\r\nleave', "", "", '{"a":[1,null],"k,v":"é"}', ""],
      ["c", "", "", "", "", "", "true"],
    ]);
  });

  it("is a lone header without documents", () => {
    expect(csvRows([])).toBe("image\r\n");
  });
});
