/**
 * Lambda's Node.js runtime as a handler sees it, for the image test and the deploy benchmark: in
 * a fresh process of plain Node (types stripped, no tsx), with the task root as working
 * directory, imports `{bundle}.mjs` as the runtime imports a handler, then invokes its `handler`
 * with each event of the JSON file, one after another, each with a Lambda context. Prints one
 * line per invocation, `INVOCATION {"ms", "result"}` or `INVOCATION {"ms", "error"}`, `ms` counted
 * from the process's start; anything else on stdout is the handlers' own logging. A handler
 * marked for response streaming (the API in RESPONSE_STREAM mode) gets a response stream, as the
 * runtime gives it, and its result is what it wrote: `{statusCode, headers, body}` (body as text).
 *
 *   node lambda-invoke.ts TASK_ROOT BUNDLE EVENTS_FILE [TIMEOUT_SECONDS]
 */
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Writable } from "node:stream";
import { pathToFileURL } from "node:url";
import type { Context } from "aws-lambda";
import { lambdaContext } from "@cvflow/local/lambda-context";
import { installLambdaStreamingRuntime, isStreamingHandler, type Prelude, type PreludeStream } from "@cvflow/local/lambda-streaming";

const INVOCATION_MARK = "INVOCATION ";

const [taskRoot, bundle, eventsFile, timeoutSeconds = "30"] = process.argv.slice(2);
if (!taskRoot || !bundle || !eventsFile) throw new Error("usage: node lambda-invoke.ts TASK_ROOT BUNDLE EVENTS_FILE [TIMEOUT_SECONDS]");
const events = JSON.parse(readFileSync(eventsFile, "utf8")) as unknown[];
process.chdir(taskRoot);
// Lambda's runtime defines the `awslambda` global before it imports the handler.
installLambdaStreamingRuntime();
const { handler } = (await import(pathToFileURL(join(taskRoot, `${bundle}.mjs`)).href)) as { handler: (event: unknown, context: Context) => Promise<unknown> };

/** What a streaming handler wrote: its prelude and its body. */
class CollectedResponse extends Writable implements PreludeStream {
  prelude: Prelude = {};
  text = "";

  setPrelude(prelude: Prelude): void {
    this.prelude = prelude;
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: () => void): void {
    this.text += chunk.toString("utf8");
    callback();
  }
}

async function invoke(event: unknown, context: Context): Promise<unknown> {
  if (!isStreamingHandler(handler)) return handler(event, context);
  const response = new CollectedResponse();
  await handler(event, response, context);
  return { statusCode: response.prelude.statusCode ?? 200, headers: response.prelude.headers ?? {}, body: response.text };
}

for (const event of events) {
  const context = lambdaContext(bundle, Number(timeoutSeconds) * 1000, randomUUID());
  try {
    const result = await invoke(event, context);
    console.log(INVOCATION_MARK + JSON.stringify({ ms: performance.now(), result }));
  } catch (error) {
    console.log(INVOCATION_MARK + JSON.stringify({ ms: performance.now(), error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) }));
  }
}
// As a frozen Lambda sandbox would: the S3 client's sockets and the handlers' timers do not keep the process.
// Once what was printed is out: writes to a pipe are asynchronous, and exit would cut a long answer (a page's script).
process.stdout.write("", () => process.exit(0));
