/**
 * ListObjectsV2 pages past the first, for s3rver: it makes its continuation tokens with DES, which
 * the OpenSSL of Node 17+ refuses, so a listing with more than one page failed with a 500. Here a
 * token is the last key of the page, base64url-encoded: an incoming one becomes s3rver's
 * `start-after` (what its own token carries), and a truncated page's next token is made from its
 * last key, s3rver being told the page is whole so that it never reaches for DES.
 */
import type S3rver from "s3rver";

type Store = S3rver["store"];
type ListResult = Awaited<ReturnType<Store["listObjects"]>>;

interface ListBody {
  ListBucketResult?: Record<string, unknown>;
}

export function listContinuation(): S3rver.Middleware {
  return async (ctx, next) => {
    if (ctx.method !== "GET" || ctx.query["list-type"] !== "2" || !isBucketPath(ctx.path)) return next();
    const token = ctx.query["continuation-token"];
    if (typeof token === "string" && token !== "") {
      const { "continuation-token": _, ...rest } = ctx.query;
      ctx.query = { ...rest, "start-after": Buffer.from(token, "base64url").toString("utf8") };
    }
    const store = ctx.store as Store;
    let lastKey: string | undefined;
    ctx.store = Object.create(store, {
      listObjects: {
        value: async (...args: Parameters<Store["listObjects"]>): Promise<ListResult> => {
          const result = await store.listObjects(...args);
          if (!result.isTruncated) return result;
          lastKey = result.objects.at(-1)?.key;
          return { ...result, isTruncated: false };
        },
      },
    });
    await next();
    const listing = (ctx.body as ListBody | undefined)?.ListBucketResult;
    if (lastKey === undefined || !listing) return;
    listing["IsTruncated"] = true;
    listing["NextContinuationToken"] = Buffer.from(lastKey, "utf8").toString("base64url");
    if (typeof token === "string" && token !== "") {
      listing["ContinuationToken"] = token;
      delete listing["StartAfter"];
    }
  };
}

/** `/bucket` or `/bucket/`: a bucket's listing, not an object. */
function isBucketPath(path: string): boolean {
  return /^\/[^/]+\/?$/.test(path);
}
