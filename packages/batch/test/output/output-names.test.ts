/** imageName: an image's name below the input prefix, as every output path uses it. */
import { describe, expect, it } from "vitest";
import { imageName, uniqueImageNames } from "../../src/output/index.js";

describe("imageName", () => {
  it.each([
    ["s3://b/in/shelf-1/left.jpg", "s3://b/in/", "shelf-1/left"],
    ["s3://b/in/a.png", "s3://b/in", "a"],
    ["s3://b/in/a.tar.jpeg", "s3://b/in/", "a.tar"],
    ["s3://b/other/x.jpg", "s3://b/in/", "other/x"],
    ["s3://b/datasets/x.webp", null, "datasets/x"],
    ["https://cdn.test/photos/a%20b.jpeg?sig=1#f", null, "photos/a b"],
    ["https://cdn.test/photos/x/y.jpg?sig=2", "https://cdn.test/photos/", "x/y"],
    ["/data/in/nested/c.tiff", "/data/in", "nested/c"],
    ["/data/in/c.gif", null, "c"],
    ["/data/in/.hidden", "/data/in/", ".hidden"],
  ])("%s below %s is %s", (source, prefix, name) => {
    expect(imageName(source, prefix)).toBe(name);
  });

  it("never names a path that climbs out of the output prefix or is empty", () => {
    expect(imageName("s3://b/in/../x/./y.jpg", "s3://b/in/")).toBe("__/x/y");
    expect(imageName("s3://b/in//a.jpg", "s3://b/in/")).toBe("a");
    expect(imageName("https://cdn.test/", null)).toBe("image");
    expect(imageName("https://cdn.test/a%2F..%2Fb.jpg", null)).toBe("a/__/b");
  });
});

describe("uniqueImageNames", () => {
  it("gives a later source that would share a name its extension, then a ~n suffix", () => {
    const sources = ["s3://b/in/a.jpg", "s3://b/in/a.png", "s3://b/in/a.png/", "s3://b/in/b.jpg", "https://x.test/in/a.png?sig=1"];
    expect(uniqueImageNames(sources, "s3://b/in/")).toEqual(["a", "a.png", "a~2", "b", "in/a"]);
    expect(uniqueImageNames(["https://x.test/a.jpg?v=1", "https://x.test/a.jpg?v=2"], null)).toEqual(["a", "a.jpg"]);
  });
});
