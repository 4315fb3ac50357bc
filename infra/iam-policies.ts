/**
 * The IAM policies of the deployment, as plain documents built from ARNs: each names the exact
 * actions its holder calls and the exact resources it calls them on. A plain module: infra/*.ts
 * turn the documents into roles and policies, the tests read them.
 */
import { BATCHES_PREFIX } from "@cvflow/batch/layout";

export interface PolicyStatement {
  Sid?: string;
  Effect: "Allow" | "Deny";
  Principal?: Record<string, string | string[]>;
  Action: string[];
  Resource?: string[];
  Condition?: Record<string, Record<string, string | string[]>>;
}

export interface PolicyDocument {
  Version: "2012-10-17";
  Statement: PolicyStatement[];
}

export function policyDocument(statements: PolicyStatement[]): PolicyDocument {
  return { Version: "2012-10-17", Statement: statements };
}

/** Who may assume a role: Lambda for the functions, Step Functions for the state machine. */
export function assumeRolePolicy(service: "lambda.amazonaws.com" | "states.amazonaws.com"): PolicyDocument {
  return policyDocument([{ Effect: "Allow", Principal: { Service: service }, Action: ["sts:AssumeRole"] }]);
}

/** A function writes its logs to its own log group. CloudWatch's log group ARN names its streams with `:*`. */
export function logStatement(logGroupArn: string): PolicyStatement {
  return { Sid: "Logs", Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: [`${logGroupArn}:*`] };
}

/**
 * Listing is what lets a read of a missing key answer 404 (without it S3 answers 403); the
 * stores list workflows, jobs and outputs too.
 */
function bucketStatements(bucketArn: string, objectActions: string[]): PolicyStatement[] {
  return [
    { Sid: "ListBucket", Effect: "Allow", Action: ["s3:ListBucket"], Resource: [bucketArn] },
    { Sid: "Objects", Effect: "Allow", Action: objectActions, Resource: [`${bucketArn}/*`] },
  ];
}

/**
 * s3_sink writing with the function's role (s3-sink-settings.ts): the deployment's own bucket is
 * covered by its Objects statement; each bucket CVFLOW_S3_SINK_BUCKETS lists gets s3:PutObject,
 * and nothing else, in the bucket's partition.
 */
function sinkBucketStatements(bucketArn: string, sinkBuckets: readonly string[]): PolicyStatement[] {
  if (sinkBuckets.length === 0) return [];
  const partition = bucketArn.split(":")[1];
  return [{ Sid: "SinkBuckets", Effect: "Allow", Action: ["s3:PutObject"], Resource: sinkBuckets.map((bucket) => `arn:${partition}:s3:::${bucket}/*`) }];
}

/** `arn:…:stateMachine:name` → the ARN pattern of its executions, `arn:…:execution:name:*`. */
function executionsOf(stateMachineArn: string): string {
  return `${stateMachineArn.replace(":stateMachine:", ":execution:")}:*`;
}

/** The runs function as the API reaches it: `functionArn` unqualified, `aliasArn` what runs are started on. */
export interface RunsFunctionArns {
  functionArn: string;
  aliasArn: string;
}

/**
 * A durable function's executions are sub-resources of its versions
 * (`function:name:version/durable-execution/…`): the unqualified ARN never matches them, `:*` does.
 */
function durableExecutionsOf(functionArn: string): string {
  return `${functionArn}:*`;
}

/**
 * The API: workflows (written, deleted to the trash), keys, uploads, offloaded results, runs;
 * batch jobs started (restart) and stopped (abort); async runs started on the runs function's
 * alias, found by name, answered (a waiting run's callback), stopped (cancel) and read.
 */
export function apiStatements(bucketArn: string, stateMachineArn: string, runs: RunsFunctionArns, sinkBuckets: readonly string[] = []): PolicyStatement[] {
  return [
    ...bucketStatements(bucketArn, ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"]),
    ...sinkBucketStatements(bucketArn, sinkBuckets),
    { Sid: "StartJobs", Effect: "Allow", Action: ["states:StartExecution"], Resource: [stateMachineArn] },
    { Sid: "StopJobs", Effect: "Allow", Action: ["states:StopExecution"], Resource: [executionsOf(stateMachineArn)] },
    { Sid: "StartRuns", Effect: "Allow", Action: ["lambda:InvokeFunction"], Resource: [runs.aliasArn] },
    { Sid: "FindRuns", Effect: "Allow", Action: ["lambda:ListDurableExecutionsByFunction"], Resource: [runs.functionArn, durableExecutionsOf(runs.functionArn)] },
    {
      Sid: "SteerRuns",
      Effect: "Allow",
      Action: ["lambda:SendDurableExecutionCallbackSuccess", "lambda:SendDurableExecutionCallbackFailure", "lambda:StopDurableExecution", "lambda:GetDurableExecution"],
      Resource: [durableExecutionsOf(runs.functionArn)],
    },
  ];
}

/**
 * The runs function: runs' records, events, checkpoints and outputs (its active-run entries are
 * deleted when a run ends), uploads and workflows read; its own durable executions checkpointed
 * and read back (what AWSLambdaBasicDurableExecutionRolePolicy grants, on its ARN only).
 */
export function runsStatements(bucketArn: string, functionArn: string, sinkBuckets: readonly string[] = []): PolicyStatement[] {
  return [
    ...bucketStatements(bucketArn, ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"]),
    ...sinkBucketStatements(bucketArn, sinkBuckets),
    { Sid: "Checkpoints", Effect: "Allow", Action: ["lambda:CheckpointDurableExecution", "lambda:GetDurableExecutionState"], Resource: [durableExecutionsOf(functionArn)] },
  ];
}

/** The S3 trigger only starts executions. */
export function triggerStatements(stateMachineArn: string): PolicyStatement[] {
  return [{ Sid: "StartJobs", Effect: "Allow", Action: ["states:StartExecution"], Resource: [stateMachineArn] }];
}

/** Prepare, worker and finalize: they read and write the bucket's objects and never delete one; `sinkBuckets` for the worker and Finalize (a replay), which run s3_sink steps. */
export function batchStepStatements(bucketArn: string, sinkBuckets: readonly string[] = []): PolicyStatement[] {
  return [...bucketStatements(bucketArn, ["s3:GetObject", "s3:PutObject"]), ...sinkBucketStatements(bucketArn, sinkBuckets)];
}

/**
 * Actions that take no resource ARN (IAM's Service Authorization Reference): Step Functions'
 * logging goes through CloudWatch Logs' log deliveries, which are only granted on `*`.
 */
const LOG_DELIVERY_ACTIONS = [
  "logs:CreateLogDelivery",
  "logs:GetLogDelivery",
  "logs:UpdateLogDelivery",
  "logs:DeleteLogDelivery",
  "logs:ListLogDeliveries",
  "logs:PutResourcePolicy",
  "logs:DescribeResourcePolicies",
  "logs:DescribeLogGroups",
];

export interface StateMachinePolicyArgs {
  bucketArn: string;
  stateMachineArn: string;
  /** Prepare, worker, finalize. */
  functionArns: string[];
}

/**
 * The batch state machine: it invokes the three step functions; its Distributed Map reads the
 * manifest (ItemReader) and writes its results (ResultWriter, multipart) under `batches/`, and
 * starts, watches and stops its own child executions (`execution:name/…`).
 */
export function stateMachineStatements(args: StateMachinePolicyArgs): PolicyStatement[] {
  const jobs = `${args.bucketArn}/${BATCHES_PREFIX}*`;
  return [
    { Sid: "InvokeSteps", Effect: "Allow", Action: ["lambda:InvokeFunction"], Resource: args.functionArns },
    { Sid: "ReadManifests", Effect: "Allow", Action: ["s3:GetObject"], Resource: [jobs] },
    { Sid: "WriteMapResults", Effect: "Allow", Action: ["s3:PutObject", "s3:ListMultipartUploadParts", "s3:AbortMultipartUpload"], Resource: [jobs] },
    { Sid: "RunMapChildren", Effect: "Allow", Action: ["states:StartExecution"], Resource: [args.stateMachineArn] },
    {
      Sid: "WatchMapChildren",
      Effect: "Allow",
      Action: ["states:DescribeExecution", "states:StopExecution"],
      Resource: [`${args.stateMachineArn.replace(":stateMachine:", ":execution:")}/*`],
    },
    { Sid: "LogDelivery", Effect: "Allow", Action: LOG_DELIVERY_ACTIONS, Resource: ["*"] },
  ];
}

/** Lambda pulls the functions' image from the repository, for this account's functions only. */
export function imagePullStatements(functionArnPattern: string): PolicyStatement[] {
  return [
    {
      Sid: "LambdaPull",
      Effect: "Allow",
      Principal: { Service: "lambda.amazonaws.com" },
      Action: ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"],
      Condition: { StringLike: { "aws:sourceArn": functionArnPattern } },
    },
  ];
}

/** The bucket answers HTTPS only; presigned URLs are HTTPS already. */
export function tlsOnlyStatements(bucketArn: string): PolicyStatement[] {
  return [
    {
      Sid: "TlsOnly",
      Effect: "Deny",
      Principal: { AWS: "*" },
      Action: ["s3:*"],
      Resource: [bucketArn, `${bucketArn}/*`],
      Condition: { Bool: { "aws:SecureTransport": "false" } },
    },
  ];
}
