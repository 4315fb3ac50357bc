/** A Lambda context for one invocation: its request id, and the time left counting down from the function's timeout. */
import type { Context } from "aws-lambda";

export function lambdaContext(functionName: string, timeoutMs: number, awsRequestId: string): Context {
  const deadline = Date.now() + timeoutMs;
  const callbacksUnsupported = (): never => {
    throw new Error("Callback-style completion (done, fail, succeed) is not supported: return a promise");
  };
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: "$LATEST",
    invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:${functionName}`,
    memoryLimitInMB: "2048",
    awsRequestId,
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: "local",
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: callbacksUnsupported,
    fail: callbacksUnsupported,
    succeed: callbacksUnsupported,
  };
}
