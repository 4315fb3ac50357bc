/**
 * Lambda's Node.js runtime as a handler sees it, for the image test and the deploy benchmark: in
 * a fresh process of plain Node (types stripped, no tsx), with the task root as working
 * directory, imports `{bundle}.mjs` as the runtime imports a handler, then invokes its `handler`
 * with each event of the JSON file, one after another, each with a Lambda context. Prints one
 * line per invocation, `INVOCATION {"ms", "result"}` or `INVOCATION {"ms", "error"}`, `ms` counted
 * from the process's start; anything else on stdout is the handlers' own logging.
 *
 *   node lambda-invoke.ts TASK_ROOT BUNDLE EVENTS_FILE [TIMEOUT_SECONDS]
 */
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { Context } from "aws-lambda";
import { lambdaContext } from "@cvflow/local/lambda-context";

const INVOCATION_MARK = "INVOCATION ";

const [taskRoot, bundle, eventsFile, timeoutSeconds = "30"] = process.argv.slice(2);
if (!taskRoot || !bundle || !eventsFile) throw new Error("usage: node lambda-invoke.ts TASK_ROOT BUNDLE EVENTS_FILE [TIMEOUT_SECONDS]");
const events = JSON.parse(readFileSync(eventsFile, "utf8")) as unknown[];
process.chdir(taskRoot);
const { handler } = (await import(pathToFileURL(join(taskRoot, `${bundle}.mjs`)).href)) as { handler: (event: unknown, context: Context) => Promise<unknown> };

for (const event of events) {
  const context = lambdaContext(bundle, Number(timeoutSeconds) * 1000, randomUUID());
  try {
    const result = await handler(event, context);
    console.log(INVOCATION_MARK + JSON.stringify({ ms: performance.now(), result }));
  } catch (error) {
    console.log(INVOCATION_MARK + JSON.stringify({ ms: performance.now(), error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) }));
  }
}
// As a frozen Lambda sandbox would: the S3 client's sockets and the handlers' timers do not keep the process.
process.exit(0);
