/**
 * A test service answering HTTP two ways — in-process through `fetch` (a client's `fetch` option)
 * and over loopback at `url` (for a client in another process, such as the `cvflow` command) —
 * recording every request it receives. Requests to the in-memory blob store's presigned URLs
 * (an upload's PUT, an offloaded image's GET) are answered from that store, as S3 would.
 */
import { randomUUID } from "node:crypto";
import { MEMORY_BLOB_ENDPOINT } from "@cvflow/store/memory";
import { listenOnLoopback, type Loopback } from "./loopback.js";
import { lastOf, parseJson, received as receivedAs, type Received } from "./received.js";
import { streamText } from "./stream-text.js";
import { createTestService, type TestService, type TestServiceOptions } from "./test-service.js";

interface Answer {
  status: number;
  headers: Record<string, string>;
  body: Uint8Array;
}

/** Where the in-process `fetch` takes the service to be; any origin but the blob store's would do. */
const IN_PROCESS_ORIGIN = "http://cvflow.test";

export class RecordedApi {
  readonly received: Received[] = [];
  #loopback: Loopback | undefined;

  private constructor(readonly test: TestService) {}

  static async start(options: TestServiceOptions = {}): Promise<RecordedApi> {
    const api = new RecordedApi(await createTestService(options));
    api.#loopback = await listenOnLoopback((received, response) => {
      void api.#answer(received, false).then((answer) => {
        response.writeHead(answer.status, answer.headers);
        response.end(answer.body);
      });
    });
    return api;
  }

  /** The base URL of the in-process `fetch`. */
  get baseUrl(): string {
    return IN_PROCESS_ORIGIN;
  }

  /** The base URL over loopback. */
  get url(): string {
    return this.#loopback!.url;
  }

  /** A `fetch` answered here, without a network: the service's requests and the blob store's presigned URLs. */
  readonly fetch: typeof fetch = async (input, init) => {
    const request = new Request(input, init);
    const body = Buffer.from(await request.arrayBuffer());
    const url = new URL(request.url);
    const answer = await this.#answer(receivedAs(request.method, url, Object.fromEntries(request.headers), body), url.origin === MEMORY_BLOB_ENDPOINT, request.signal);
    return new Response(answer.body.length > 0 || ![204, 304].includes(answer.status) ? Buffer.from(answer.body) : null, { status: answer.status, headers: answer.headers });
  };

  /** The last request received on a path (optionally with this method). */
  last(path: string, method?: string): Received {
    return lastOf(this.received, path, method);
  }

  reset(): void {
    this.received.length = 0;
  }

  close(): Promise<void> {
    return this.#loopback!.close();
  }

  /** `toBlobStore`: a request to one of the in-memory blob store's presigned URLs, rather than to the service. */
  async #answer(received: Received, toBlobStore: boolean, signal?: AbortSignal): Promise<Answer> {
    this.received.push(received);
    const answer = toBlobStore ? await this.#blob(received) : await this.#service(received, signal);
    received.answer = { status: answer.status, json: parseJson(answer.body) };
    return answer;
  }

  async #service(received: Received, signal?: AbortSignal): Promise<Answer> {
    const { method, path, query, headers, body } = received;
    const response = await this.test.service.handle({
      method,
      path,
      query: query.toString(),
      headers,
      ...(body.length > 0 ? { body } : {}),
      requestId: randomUUID(),
      ...(signal ? { signal } : {}),
    });
    return { status: response.statusCode, headers: response.headers, body: Buffer.from(response.stream ? await streamText(response.stream) : response.body) };
  }

  /** Path-style (/bucket/key), as the store presigns: PUT stores, GET reads. */
  async #blob({ method, path, headers, body }: Received): Promise<Answer> {
    const { blobs } = this.test;
    const prefix = `/${blobs.bucket}/`;
    const key = path.startsWith(prefix) ? decodeURIComponent(path.slice(prefix.length)) : undefined;
    const object = key === undefined ? undefined : blobs.objects.get(key);
    if (key !== undefined && method === "PUT") {
      await blobs.put(key, body, headers["content-type"] ?? "application/octet-stream");
      return { status: 200, headers: {}, body: Buffer.alloc(0) };
    }
    if (object && method === "GET") return { status: 200, headers: { "content-type": object.contentType }, body: object.body };
    return { status: 404, headers: { "content-type": "application/xml" }, body: Buffer.from("<Error><Code>NoSuchKey</Code></Error>") };
  }
}
