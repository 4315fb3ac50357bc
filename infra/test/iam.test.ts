/**
 * Every IAM policy of the deployment names exact actions and the resources they act on: no
 * wildcard action, and `*` as a resource only for actions that take no resource ARN.
 */
import { describe, expect, it } from "vitest";
import { imagePullStatements, type PolicyDocument, type PolicyStatement } from "../iam-policies.js";
import { ACCOUNT, mockDeployment, PREFIX, REGION } from "./mock-deployment.js";

/**
 * Actions that IAM's Service Authorization Reference lists without a resource type: CloudWatch
 * Logs' log deliveries, which Step Functions' logging needs. Kept here, apart from the code under
 * test, so that widening the code's list does not widen what this test accepts.
 */
const ACTIONS_WITHOUT_RESOURCES = new Set([
  "logs:CreateLogDelivery",
  "logs:GetLogDelivery",
  "logs:UpdateLogDelivery",
  "logs:DeleteLogDelivery",
  "logs:ListLogDeliveries",
  "logs:PutResourcePolicy",
  "logs:DescribeResourcePolicies",
  "logs:DescribeLogGroups",
]);

/** What is too broad in a statement that grants (Deny statements may be broad: they take away). */
function wildcardProblems(statement: PolicyStatement): string[] {
  if (statement.Effect !== "Allow") return [];
  const problems: string[] = [];
  for (const action of statement.Action) if (action.includes("*")) problems.push(`wildcard action ${action}`);
  for (const resource of statement.Resource ?? []) {
    if (resource === "*") {
      const scoped = statement.Action.filter((action) => !ACTIONS_WITHOUT_RESOURCES.has(action));
      if (scoped.length > 0) problems.push(`resource * for ${scoped.join(", ")}, which can name a resource`);
      continue;
    }
    // arn:partition:service:region:account:resource — only past the resource's name may a pattern stand (object keys, log streams, executions).
    const [arn, partition, service, region, account, ...rest] = resource.split(":");
    const name = rest.join(":");
    const named = service === "s3" ? name.split("/")[0]! : name.slice(name.search(/[:/]/) + 1);
    if (arn !== "arn" || [partition, service, region, account].some((part) => part?.includes("*"))) problems.push(`wildcard in ${resource}'s partition, service, region or account`);
    else if (named === "" || named.startsWith("*") || (service === "s3" && named.includes("*"))) problems.push(`unnamed resource in ${resource}`);
  }
  return problems;
}

describe("the deployment's IAM policies", async () => {
  const deployment = await mockDeployment();
  const roles = Object.fromEntries(
    deployment.ofType("aws:iam/rolePolicy:RolePolicy").map((policy) => [policy.name.replace(/Policy$/, ""), (JSON.parse(policy.inputs["policy"]) as PolicyDocument).Statement]),
  );
  const bucketArn = `arn:aws:s3:::${deployment.outputs.bucket}`;
  const stateMachineArn = deployment.outputs.stateMachineArn;
  const runsArn = `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${PREFIX}-runs`;
  const logStreams = (bundle: string) => `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:/aws/lambda/${PREFIX}-${bundle}:*`;

  it("grant no wildcard action, and no resource * where a resource can be named", () => {
    const documents = [
      ...Object.values(roles),
      ...deployment.ofType("aws:s3/bucketPolicy:BucketPolicy").map((p) => (JSON.parse(p.inputs["policy"]) as PolicyDocument).Statement),
      ...deployment.ofType("aws:iam/role:Role").map((r) => (JSON.parse(r.inputs["assumeRolePolicy"]) as PolicyDocument).Statement),
      imagePullStatements(`arn:aws:lambda:${REGION}:${ACCOUNT}:function:${PREFIX}-*`),
    ];
    expect(Object.keys(roles).sort()).toEqual(["Api", "BatchFinalize", "BatchPrepare", "BatchStateMachine", "BatchTrigger", "BatchWorker", "Runs"]);
    expect(documents.flat().flatMap(wildcardProblems)).toEqual([]);
  });

  it("the check itself catches a wildcard action, a * resource and an unnamed bucket", () => {
    expect(wildcardProblems({ Effect: "Allow", Action: ["s3:*"], Resource: [`${bucketArn}/*`] })).toEqual(["wildcard action s3:*"]);
    expect(wildcardProblems({ Effect: "Allow", Action: ["s3:GetObject"], Resource: ["*"] })).toEqual(["resource * for s3:GetObject, which can name a resource"]);
    expect(wildcardProblems({ Effect: "Allow", Action: ["s3:GetObject"], Resource: ["arn:aws:s3:::*"] })).toEqual(["unnamed resource in arn:aws:s3:::*"]);
    expect(wildcardProblems({ Effect: "Allow", Action: ["lambda:InvokeFunction"], Resource: [`arn:aws:lambda:${REGION}:${ACCOUNT}:function:*`] })).toHaveLength(1);
    expect(wildcardProblems({ Effect: "Allow", Action: ["lambda:InvokeFunction"], Resource: [`arn:aws:lambda:*:${ACCOUNT}:function:x`] })).toHaveLength(1);
  });

  it("the API: the bucket's objects (workflows are deleted to the trash), its batch jobs started and stopped, async runs started on the alias and steered", () => {
    expect(roles["Api"]).toEqual([
      { Sid: "ListBucket", Effect: "Allow", Action: ["s3:ListBucket"], Resource: [bucketArn] },
      { Sid: "Objects", Effect: "Allow", Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"], Resource: [`${bucketArn}/*`] },
      { Sid: "StartJobs", Effect: "Allow", Action: ["states:StartExecution"], Resource: [stateMachineArn] },
      { Sid: "StopJobs", Effect: "Allow", Action: ["states:StopExecution"], Resource: [`arn:aws:states:${REGION}:${ACCOUNT}:execution:${PREFIX}-batch:*`] },
      { Sid: "StartRuns", Effect: "Allow", Action: ["lambda:InvokeFunction"], Resource: [`${runsArn}:live`] },
      { Sid: "FindRuns", Effect: "Allow", Action: ["lambda:ListDurableExecutionsByFunction"], Resource: [runsArn, `${runsArn}:*`] },
      {
        Sid: "SteerRuns",
        Effect: "Allow",
        Action: ["lambda:SendDurableExecutionCallbackSuccess", "lambda:SendDurableExecutionCallbackFailure", "lambda:StopDurableExecution", "lambda:GetDurableExecution"],
        Resource: [`${runsArn}:*`],
      },
      { Sid: "Logs", Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: [logStreams("api")] },
    ]);
  });

  it("the runs function: the bucket's objects, and checkpoints of its own durable executions only", () => {
    expect(roles["Runs"]).toEqual([
      { Sid: "ListBucket", Effect: "Allow", Action: ["s3:ListBucket"], Resource: [bucketArn] },
      { Sid: "Objects", Effect: "Allow", Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"], Resource: [`${bucketArn}/*`] },
      { Sid: "Checkpoints", Effect: "Allow", Action: ["lambda:CheckpointDurableExecution", "lambda:GetDurableExecutionState"], Resource: [`${runsArn}:*`] },
      { Sid: "Logs", Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: [logStreams("runs")] },
    ]);
  });

  it("the trigger only starts executions; the batch steps never delete", () => {
    expect(roles["BatchTrigger"]).toEqual([
      { Sid: "StartJobs", Effect: "Allow", Action: ["states:StartExecution"], Resource: [stateMachineArn] },
      { Sid: "Logs", Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: [logStreams("batch-trigger")] },
    ]);
    for (const [role, bundle] of [["BatchPrepare", "batch-prepare"], ["BatchWorker", "batch-worker"], ["BatchFinalize", "batch-finalize"]] as const) {
      expect(roles[role]).toEqual([
        { Sid: "ListBucket", Effect: "Allow", Action: ["s3:ListBucket"], Resource: [bucketArn] },
        { Sid: "Objects", Effect: "Allow", Action: ["s3:GetObject", "s3:PutObject"], Resource: [`${bucketArn}/*`] },
        { Sid: "Logs", Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: [logStreams(bundle)] },
      ]);
    }
  });

  it("s3_sink's listed buckets: s3:PutObject in each, nothing else, for the functions that run workflows only", async () => {
    const listing = await mockDeployment({ CVFLOW_S3_SINK_BUCKETS: "team-results,archive.example" });
    const granted = Object.fromEntries(
      listing.ofType("aws:iam/rolePolicy:RolePolicy").map((policy) => [policy.name.replace(/Policy$/, ""), (JSON.parse(policy.inputs["policy"]) as PolicyDocument).Statement.filter((s) => s.Sid === "SinkBuckets")]),
    );
    const sink = { Sid: "SinkBuckets", Effect: "Allow", Action: ["s3:PutObject"], Resource: ["arn:aws:s3:::team-results/*", "arn:aws:s3:::archive.example/*"] };
    for (const role of ["Api", "Runs", "BatchWorker", "BatchFinalize"]) expect([role, granted[role]]).toEqual([role, [sink]]);
    for (const role of ["BatchPrepare", "BatchTrigger", "BatchStateMachine"]) expect([role, granted[role]]).toEqual([role, []]);
    // Without the setting, no such statement (the roles above are the default deployment's).
    expect(Object.values(roles).flat().filter((s) => s.Sid === "SinkBuckets")).toEqual([]);
  });

  it("the state machine: its three functions, the jobs' folder, its own child executions", () => {
    const statements = roles["BatchStateMachine"]!;
    const by = (sid: string) => statements.find((s) => s.Sid === sid);
    expect(by("InvokeSteps")?.Resource).toEqual(["batch-prepare", "batch-worker", "batch-finalize"].map((bundle) => `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${PREFIX}-${bundle}`));
    expect(by("ReadManifests")?.Resource).toEqual([`${bucketArn}/batches/*`]);
    expect(by("WriteMapResults")?.Resource).toEqual([`${bucketArn}/batches/*`]);
    expect(by("RunMapChildren")?.Resource).toEqual([stateMachineArn]);
    expect(by("WatchMapChildren")?.Resource).toEqual([`arn:aws:states:${REGION}:${ACCOUNT}:execution:${PREFIX}-batch/*`]);
    expect(by("LogDelivery")?.Resource).toEqual(["*"]);
  });
});
