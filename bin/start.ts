/**
 * `npm start`: the service on this machine — the S3-protocol server, the demo workspace with the
 * example workflows and a dev API key, and the Function-URL gateway on 127.0.0.1:$PORT (9001) in
 * front of the very Lambda handler. Ctrl-C stops everything; the next start reuses .data/.
 */
import { dataDir, StackStartError, startLocalStack } from "@cvflow/local";

const stack = await startLocalStack().catch((error: unknown) => {
  // A port in use or a bad setting: one line saying what to change, no stack trace.
  if (!(error instanceof StackStartError)) throw error;
  console.error(`cvflow: cannot start: ${error.message}`);
  process.exit(1);
});
console.log(`cvflow: serving ${stack.url}
cvflow: S3 at ${stack.s3.endpoint} (bucket ${stack.s3.bucket}, data in ${dataDir()})
cvflow: workspace "${stack.workspace}"${stack.seeded.length ? `, example workflows saved: ${stack.seeded.join(", ")}` : ""}
cvflow: API key ${stack.apiKey}
cvflow: debugger page ${stack.url}/ (sign in with the API key above)
cvflow: batch jobs: POST /batch/jobs, or upload batches/{job}/job.json to the bucket (docs/batch.md)${stack.resumedRuns.length ? `\ncvflow: async runs taken up again: ${stack.resumedRuns.join(", ")}` : ""}
cvflow: try   curl -s ${stack.url}/health`);

let stopping = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    console.log("cvflow: stopping");
    stack.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(`cvflow: stopping failed: ${(error as Error).message}`);
        process.exit(1);
      },
    );
  });
}
