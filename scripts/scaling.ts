/**
 * `npm run scaling`: writes docs/scaling.md — what a million-image batch job costs on AWS and how
 * long it takes — from the measured numbers in docs/scaling-measurements.json and the price table
 * below. Nothing in the doc is typed by hand: every cost line is a formula printed with its inputs,
 * and the total is the sum of those lines. test/scaling.test.ts checks that the committed doc is
 * exactly what this writes from the committed measurements.
 *
 * The measurements come from one run of the batch bench (`npm run bench -- batch` writes the file);
 * the prices and the assumptions (what is not measured here) are below, each with its source or why.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { BATCH_DEFAULTS, BATCH_TIMEOUTS } from "@cvflow/batch/definition";
import { FINALIZE_CHUNK, FINALIZE_READS_IN_FLIGHT } from "@cvflow/batch";
import type { S3RequestCounts } from "@cvflow/local";
import { FUNCTIONS } from "../infra/function-settings.js";

/**
 * docs/scaling-measurements.json, as `npm run bench -- batch` writes it (bench/batch.ts): one run on
 * this machine. Only the fields the cost model reads are listed; the file holds a few more.
 */
export interface ScalingMeasurements {
  /** ISO time of the run. */
  measured_at: string;
  machine: { cpus: number; cpu_model: string; node: string; load_average_1m_at_start: number };
  images: number;
  /** What the images were. */
  image_set: string;
  batch_size: number;
  /** `engine.run` in-process, one image after another: detect → crop → classify, ms. */
  detect_crop_classify_ms_per_image: Spread;
  /** One worker call (the Lambda's code, one at a time on the machine) on batch_size images of detect → crop → classify, ms. */
  worker_batch_ms: Spread;
  /**
   * The same worker calls with the process held to one CPU (`taskset -c 0`), ms: how the worker's
   * time grows with fewer CPUs, for Lambdas with fewer vCPUs than the machine. Optional: without
   * it, the time is taken to grow in proportion (the worst case).
   */
  worker_batch_ms_one_cpu?: Spread;
  /** Requests the local S3 server answered during the detection job (job.json to Finalize's end), per image, by kind; precondition_failed counts the 412s among them. */
  s3_requests_per_image: Record<S3Kind | "precondition_failed", number>;
  /** Anything a reader must know about this run (how, the load), printed under the measurements. */
  notes?: string;
}

interface Spread {
  mean: number;
  median: number;
  p90: number;
}

/** The kinds the local S3 server counts (S3RequestCounts, @cvflow/local), priced each. */
const KINDS = ["get", "head", "put", "list", "delete", "other"] as const satisfies readonly (keyof S3RequestCounts)[];
type S3Kind = (typeof KINDS)[number];

/** A price as published, with where and when it was read. */
interface Price {
  usd: number;
  per: string;
  source: string;
}

/** AWS list prices, us-east-1, read 2026-12-05 from the pages named (no free tier counted). */
export const PRICES_DATE = "2026-12-05";
export const PRICES = {
  lambdaGbSecond: { usd: 0.0000166667, per: "GB-second (x86, first 6 billion GB-s a month)", source: "https://aws.amazon.com/lambda/pricing/" },
  lambdaArmGbSecond: { usd: 0.0000133334, per: "GB-second (arm64, first 7.5 billion GB-s a month)", source: "https://aws.amazon.com/lambda/pricing/" },
  lambdaRequest: { usd: 0.2 / 1e6, per: "request ($0.20 per million)", source: "https://aws.amazon.com/lambda/pricing/" },
  stateTransition: { usd: 0.025 / 1000, per: "state transition ($0.025 per 1,000); a Distributed Map counts one per child execution it starts", source: "https://aws.amazon.com/step-functions/pricing/, https://docs.aws.amazon.com/step-functions/latest/dg/concepts-transitions.html" },
  expressRequest: { usd: 1 / 1e6, per: "Express execution ($1.00 per million)", source: "https://aws.amazon.com/step-functions/pricing/" },
  expressGbSecond: { usd: 0.00001667, per: "Express GB-second (first 1,000 hours; billed per 100 ms, in 64 MB chunks)", source: "https://aws.amazon.com/step-functions/pricing/" },
  s3PutClass: { usd: 0.005 / 1000, per: "PUT, COPY, POST or LIST request ($0.005 per 1,000)", source: "https://aws.amazon.com/s3/pricing/" },
  s3GetClass: { usd: 0.0004 / 1000, per: "GET, HEAD and other requests ($0.0004 per 1,000)", source: "https://aws.amazon.com/s3/pricing/" },
  s3GbMonth: { usd: 0.023, per: "GB-month stored (S3 Standard, first 50 TB)", source: "https://aws.amazon.com/s3/pricing/" },
} as const satisfies Record<string, Price>;

/** A figure not measured here: AWS's own, or a stated guess, with why. */
interface Assumption {
  value: number;
  unit: string;
  why: string;
}

/** What is not measured here. */
export const ASSUMPTIONS = {
  lambdaMbPerVcpu: { value: 1769, unit: "MB", why: "Lambda gives CPU in proportion to memory: 1,769 MB is one vCPU (AWS Lambda docs, configuring memory)" },
  s3LatencyMs: { value: 20, unit: "ms", why: "one small-object S3 request from a Lambda in the same region: a guess within what S3's performance guidelines describe" },
  serialS3RequestsPerBatch: { value: 4, unit: "requests", why: "S3 requests of a batch that no model run hides: job.json and then the pinned workflow.json before the first image, the first image's GET, the last results.json PUT; the others overlap the images in flight" },
  coldStartSeconds: { value: 3, unit: "s", why: "a worker's cold start (runtime, bundle, both models loaded): a guess" },
  expressChildGb: { value: 64 / 1024, unit: "GB", why: "an Express child's memory: its definition and a batch's input are small, one 64 MB chunk" },
  standardChildTransitions: { value: 3, unit: "transitions", why: "a Standard child's transitions (start, Worker, end), for the option not taken" },
  resultKb: { value: 2, unit: "KB", why: "one results.json of detect → crop → classify with a few objects" },
  finalizeCpuMsPerImage: { value: 1.3, unit: "ms", why: "Finalize's CPU per image (its GET signed, sent and parsed, the CSV row): 1.29 ms measured by `node --expose-gc --import tsx bench/finalize.ts 2000` on this machine (the S3 server in another process); one event loop uses one CPU" },
} as const satisfies Record<string, Assumption>;

/** The job priced. */
export const JOB = {
  images: 1_000_000,
  batchSize: BATCH_DEFAULTS.batchSize,
  maxConcurrency: BATCH_DEFAULTS.maxConcurrency,
  workerMb: FUNCTIONS.batchWorker.memoryMb,
  finalizeMb: FUNCTIONS.batchFinalize.memoryMb,
  targetUsd: 15,
} as const;

/** One priced line: what, its formula with the numbers in it, and its cost in whole cents (the total adds these). */
export interface CostLine {
  item: string;
  formula: string;
  cents: number;
}

export interface ScalingModel {
  /** Per-image worker time on a Lambda, s. */
  imageSeconds: number;
  /** How imageSeconds was reached, one formula per line. */
  derivation: string[];
  lines: CostLine[];
  totalCents: number;
  /** Lines that apply only sometimes, and the options not taken; not in the total. */
  extras: CostLine[];
  /** Finalize's reading of every results.json, s, over however many invocations it takes. */
  finalizeSeconds: number;
  /** The S3 waits per image no model run hides, s. */
  serialSeconds: number;
}

/** Reads the measurements file's JSON, refusing one that lacks a field the model reads (named). */
export function parseMeasurements(raw: unknown): ScalingMeasurements {
  const fail = (field: string, why = "is missing or not what the bench writes"): never => {
    throw new Error(`docs/scaling-measurements.json: "${field}" ${why}`);
  };
  const object = (value: unknown, field: string): Record<string, unknown> => (typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : fail(field));
  const number = (parent: Record<string, unknown>, key: string, field: string): number => {
    const value = parent[key];
    return typeof value === "number" && Number.isFinite(value) && value >= 0 ? value : fail(field);
  };
  const text = (parent: Record<string, unknown>, key: string, field: string): string => (typeof parent[key] === "string" ? (parent[key] as string) : fail(field));
  const spread = (key: string): Spread => {
    const value = object(root[key], key);
    return { mean: number(value, "mean", `${key}.mean`), median: number(value, "median", `${key}.median`), p90: number(value, "p90", `${key}.p90`) };
  };
  const root = object(raw, "(the document)");
  const machine = object(root["machine"], "machine");
  if (root["s3_requests_per_image"] === null) fail("s3_requests_per_image", "is null: the local S3 server counted no requests, and S3's cost cannot be priced without them");
  const requests = object(root["s3_requests_per_image"], "s3_requests_per_image");
  const measurements: ScalingMeasurements = {
    measured_at: text(root, "measured_at", "measured_at"),
    machine: {
      cpus: number(machine, "cpus", "machine.cpus"),
      cpu_model: text(machine, "cpu_model", "machine.cpu_model"),
      node: text(machine, "node", "machine.node"),
      load_average_1m_at_start: number(machine, "load_average_1m_at_start", "machine.load_average_1m_at_start"),
    },
    images: number(root, "images", "images"),
    image_set: text(root, "image_set", "image_set"),
    batch_size: number(root, "batch_size", "batch_size"),
    detect_crop_classify_ms_per_image: spread("detect_crop_classify_ms_per_image"),
    worker_batch_ms: spread("worker_batch_ms"),
    ...(root["worker_batch_ms_one_cpu"] === undefined ? {} : { worker_batch_ms_one_cpu: spread("worker_batch_ms_one_cpu") }),
    // A kind the server did not see is 0.
    s3_requests_per_image: Object.fromEntries([...KINDS, "precondition_failed"].map((kind) => [kind, kind in requests ? number(requests, kind, `s3_requests_per_image.${kind}`) : 0])) as Record<S3Kind | "precondition_failed", number>,
    ...(root["notes"] === undefined ? {} : { notes: text(root, "notes", "notes") }),
  };
  if (measurements.batch_size === 0) fail("batch_size", "is 0");
  if (measurements.machine.cpus === 0) fail("machine.cpus", "is 0");
  return measurements;
}

/** Numbers as the doc prints them: grouped thousands, at most `digits` decimals. */
export function fmt(value: number, digits = 2): string {
  return value.toLocaleString("en-US", { maximumFractionDigits: digits });
}
const usd = (cents: number): string => `$${(cents / 100).toFixed(2)}`;
const price = (p: Price): string => `$${fmt(p.usd, 10)}`;
const cents = (dollars: number): number => Math.round(dollars * 100);

/** What each kind of S3 request costs: S3 bills DELETE nothing, and anything else it does not list at the GET price. */
const putClass = { usd: PRICES.s3PutClass.usd, label: price(PRICES.s3PutClass) };
const getClass = { usd: PRICES.s3GetClass.usd, label: price(PRICES.s3GetClass) };
const S3_PRICE: Record<S3Kind, { usd: number; label: string }> = { put: putClass, list: putClass, get: getClass, head: getClass, other: getClass, delete: { usd: 0, label: "$0" } };

/** What the S3 requests of each kind are, in this job. */
const S3_WHAT: Record<S3Kind, string> = {
  get: "the images, job.json and the pinned workflow per batch, Finalize's reads",
  head: "done checks, on retried batches and re-run jobs only",
  put: "results.json per image, and the job's own files",
  list: "Prepare's listing, and the map's ResultWriter",
  delete: "Finalize's progress objects, free",
  other: "anything else",
};

/** The model: from the measurements to the per-image time, each cost line and the total. */
export function scalingModel(m: ScalingMeasurements, b: number = JOB.batchSize): ScalingModel {
  const N = JOB.images;
  const gb = JOB.workerMb / 1024;
  const { seconds: computeSeconds, derivation: computeDerivation } = workerCompute(m, JOB.workerMb);
  const machineSeconds = m.worker_batch_ms.mean / 1000 / m.batch_size;
  const serialMs = ASSUMPTIONS.serialS3RequestsPerBatch.value * ASSUMPTIONS.s3LatencyMs.value;
  const serialSeconds = serialMs / 1000 / b;
  const imageSeconds = computeSeconds + serialSeconds;
  const engineSeconds = m.detect_crop_classify_ms_per_image.mean / 1000;
  const derivation = [
    `t_machine   = worker_batch_ms.mean / batch_size = ${fmt(m.worker_batch_ms.mean, 1)} ms / ${fmt(m.batch_size)} = ${ms(machineSeconds)}`,
    `              (engine.run alone, one image after another: ${ms(engineSeconds)}; the worker, with its S3 reads and writes: ${fmt(machineSeconds / engineSeconds, 2)} times that)`,
    ...computeDerivation,
    `t_s3_serial = ${ASSUMPTIONS.serialS3RequestsPerBatch.value} requests × ${ASSUMPTIONS.s3LatencyMs.value} ms / b = ${serialMs} ms / ${b} = ${ms(serialSeconds)}`,
    `t_image     = t_compute + t_s3_serial = ${ms(computeSeconds)} + ${ms(serialSeconds)} = ${ms(imageSeconds)}`,
  ];

  const batches = N / b;
  const gbSeconds = N * imageSeconds * gb;
  const coldGbSeconds = JOB.maxConcurrency * ASSUMPTIONS.coldStartSeconds.value * gb;
  const childSeconds = Math.ceil((b * imageSeconds) / 0.1) * 0.1;
  const expressGbSeconds = batches * childSeconds * ASSUMPTIONS.expressChildGb.value;
  // Reads in flight hide S3's latency; the CPU each document costs is then what bounds it.
  const finalizeSeconds = N * Math.max(ASSUMPTIONS.s3LatencyMs.value / FINALIZE_READS_IN_FLIGHT, ASSUMPTIONS.finalizeCpuMsPerImage.value) / 1000;
  const finalizeGb = JOB.finalizeMb / 1024;
  const s3Line = (kind: S3Kind): CostLine => {
    const count = N * m.s3_requests_per_image[kind];
    return {
      item: `S3 ${kind.toUpperCase()} (${S3_WHAT[kind]})`,
      formula: `N × ${fmt(m.s3_requests_per_image[kind], 4)} per image = ${fmt(count, 0)} × ${S3_PRICE[kind].label}`,
      cents: cents(count * S3_PRICE[kind].usd),
    };
  };

  const lines: CostLine[] = [
    {
      item: "Lambda compute (workers)",
      formula: `N × t_image × M = 10⁶ × ${fmt(imageSeconds, 4)} s × ${fmt(gb, 3)} GB = ${fmt(gbSeconds, 0)} GB-s × ${price(PRICES.lambdaGbSecond)}`,
      cents: cents(gbSeconds * PRICES.lambdaGbSecond.usd),
    },
    {
      item: "Lambda cold starts",
      formula: `C × cold start × M = ${JOB.maxConcurrency} × ${ASSUMPTIONS.coldStartSeconds.value} s × ${fmt(gb, 3)} GB = ${fmt(coldGbSeconds, 0)} GB-s × ${price(PRICES.lambdaGbSecond)}`,
      cents: cents(coldGbSeconds * PRICES.lambdaGbSecond.usd),
    },
    {
      item: "Lambda requests (workers)",
      formula: `N / b = 10⁶ / ${b} = ${fmt(batches)} × ${price(PRICES.lambdaRequest)}`,
      cents: cents(batches * PRICES.lambdaRequest.usd),
    },
    {
      item: "Finalize reading every results.json",
      formula: `N × max(S3 latency / reads in flight, CPU per image) × M = 10⁶ × max(${ASSUMPTIONS.s3LatencyMs.value} ms / ${FINALIZE_READS_IN_FLIGHT}, ${ASSUMPTIONS.finalizeCpuMsPerImage.value} ms) × ${fmt(finalizeGb, 3)} GB = ${fmt(finalizeSeconds * finalizeGb, 0)} GB-s × ${price(PRICES.lambdaGbSecond)}`,
      cents: cents(finalizeSeconds * finalizeGb * PRICES.lambdaGbSecond.usd),
    },
    {
      item: "Distributed Map: a transition per child started",
      formula: `N / b = ${fmt(batches)} × ${price(PRICES.stateTransition)}`,
      cents: cents(batches * PRICES.stateTransition.usd),
    },
    {
      item: "Express children: requests",
      formula: `N / b = ${fmt(batches)} × ${price(PRICES.expressRequest)}`,
      cents: cents(batches * PRICES.expressRequest.usd),
    },
    {
      item: "Express children: duration",
      formula: `N / b × (b × t_image, rounded up to 100 ms) × 64 MB = ${fmt(batches)} × ${fmt(childSeconds, 1)} s × ${fmt(ASSUMPTIONS.expressChildGb.value, 4)} GB = ${fmt(expressGbSeconds, 0)} GB-s × ${price(PRICES.expressGbSecond)}`,
      cents: cents(expressGbSeconds * PRICES.expressGbSecond.usd),
    },
    ...KINDS.filter((kind) => m.s3_requests_per_image[kind] > 0 || kind === "head").map(s3Line),
  ];
  const totalCents = lines.reduce((sum, line) => sum + line.cents, 0);

  const standardTransitions = batches * ASSUMPTIONS.standardChildTransitions.value;
  const extras: CostLine[] = [
    {
      item: "with save_image_outputs: a PUT per image output (k = 1)",
      formula: `N × k = ${fmt(N)} × ${price(PRICES.s3PutClass)}`,
      cents: cents(N * PRICES.s3PutClass.usd),
    },
    {
      item: "a job run again over done images (check_done): up to two HEADs per image",
      formula: `2 × N = ${fmt(2 * N)} × ${price(PRICES.s3GetClass)}`,
      cents: cents(2 * N * PRICES.s3GetClass.usd),
    },
    {
      item: "results at rest, a month",
      formula: `N × ${ASSUMPTIONS.resultKb.value} KB = ${fmt((N * ASSUMPTIONS.resultKb.value) / 1024 ** 2, 2)} GB × ${price(PRICES.s3GbMonth)}`,
      cents: cents(((N * ASSUMPTIONS.resultKb.value) / 1024 ** 2) * PRICES.s3GbMonth.usd),
    },
    {
      item: "not taken: Standard children instead of Express (they would add)",
      formula: `N / b × ${ASSUMPTIONS.standardChildTransitions.value} transitions = ${fmt(standardTransitions)} × ${price(PRICES.stateTransition)}, less the two Express lines`,
      cents: cents(standardTransitions * PRICES.stateTransition.usd) - cents(batches * PRICES.expressRequest.usd) - cents(expressGbSeconds * PRICES.expressGbSecond.usd),
    },
    {
      item: "not taken: arm64 (Graviton) workers, if as fast — not measured; the image would need building for arm64 (would save)",
      formula: `${fmt(gbSeconds, 0)} GB-s × (${price(PRICES.lambdaGbSecond)} − ${price(PRICES.lambdaArmGbSecond)})`,
      cents: cents(gbSeconds * PRICES.lambdaGbSecond.usd) - cents(gbSeconds * PRICES.lambdaArmGbSecond.usd),
    },
    {
      item: "not taken: a LIST per image to find done images (would add)",
      formula: `N = ${fmt(N)} × ${price(PRICES.s3PutClass)}`,
      cents: cents(N * PRICES.s3PutClass.usd),
    },
    {
      item: "not taken: one result object per batch instead of {image}/results.json (would save)",
      formula: `N × (1 − 1/b) PUTs = ${fmt(N * (1 - 1 / b))} × ${price(PRICES.s3PutClass)}`,
      cents: cents(N * (1 - 1 / b) * PRICES.s3PutClass.usd),
    },
  ];
  return { imageSeconds, derivation, lines, totalCents, extras, finalizeSeconds, serialSeconds };
}

const ms = (seconds: number): string => `${fmt(seconds * 1000, 1)} ms`;

/**
 * A worker's compute time per image on a Lambda of `memoryMb`, from the machine's measurement, and
 * how it was reached. With the one-CPU measurement, Amdahl's law through the two points: the share
 * p of the time that runs in parallel is what the second CPU saved, and a Lambda with v vCPUs takes
 * t_1 × ((1 − p) + p / v); below one vCPU, Lambda gives a share of one, and the time grows in
 * proportion. Without it, the time grows in proportion to the vCPUs missing (the worst case).
 */
export function workerCompute(m: ScalingMeasurements, memoryMb: number): { seconds: number; derivation: string[] } {
  const n = m.machine.cpus;
  const v = memoryMb / ASSUMPTIONS.lambdaMbPerVcpu.value;
  const tn = m.worker_batch_ms.mean / 1000 / m.batch_size;
  const vcpus = `vcpus       = ${fmt(memoryMb)} MB / ${fmt(ASSUMPTIONS.lambdaMbPerVcpu.value)} MB = ${fmt(v, 3)}`;
  if (m.worker_batch_ms_one_cpu === undefined || n < 2) {
    const seconds = tn * Math.max(1, n / v);
    return { seconds, derivation: [vcpus, `t_compute   = t_machine × max(1, machine cpus / vcpus) = ${ms(tn)} × max(1, ${fmt(n)} / ${fmt(v, 3)}) = ${ms(seconds)}`] };
  }
  const t1 = m.worker_batch_ms_one_cpu.mean / 1000 / m.batch_size;
  const p = Math.min(1, Math.max(0, (1 - tn / t1) / (1 - 1 / n)));
  const seconds = v >= 1 ? t1 * (1 - p + p / Math.min(v, n)) : t1 / v;
  return {
    seconds,
    derivation: [
      `t_one_cpu   = worker_batch_ms_one_cpu.mean / batch_size = ${fmt(m.worker_batch_ms_one_cpu.mean, 1)} ms / ${fmt(m.batch_size)} = ${ms(t1)}`,
      `p           = (1 − t_machine / t_one_cpu) / (1 − 1 / machine cpus) = (1 − ${ms(tn)} / ${ms(t1)}) / (1 − 1/${n}) = ${fmt(p, 3)}`,
      vcpus,
      v >= 1
        ? `t_compute   = t_one_cpu × ((1 − p) + p / min(vcpus, ${n})) = ${ms(t1)} × (${fmt(1 - p, 3)} + ${fmt(p, 3)} / ${fmt(Math.min(v, n), 3)}) = ${ms(seconds)}`
        : `t_compute   = t_one_cpu / vcpus = ${ms(t1)} / ${fmt(v, 3)} = ${ms(seconds)}`,
    ],
  };
}

/** Worker memory sizes the doc compares (MB): a share of a vCPU, one vCPU, the deployed size, two vCPUs. */
const WORKER_SIZES = [1024, 1769, 3008, 3538];

const row = (cells: readonly string[]): string => `| ${cells.join(" | ")} |`;

function duration(seconds: number): string {
  if (seconds >= 3600) return `${fmt(seconds / 3600, 1)} h`;
  if (seconds >= 60) return `${fmt(seconds / 60, 0)} min`;
  return `${fmt(seconds, 0)} s`;
}

/** Batch sizes the doc prices besides the default. */
const OTHER_BATCH_SIZES = [25, 50];

/** docs/scaling.md, whole. */
export function scalingDoc(m: ScalingMeasurements): string {
  const model = scalingModel(m);
  const spread = (s: Spread): string => `mean ${fmt(s.mean, 1)}, median ${fmt(s.median, 1)}, p90 ${fmt(s.p90, 1)}`;
  // Finalize stops reading with a quarter of its time left (finalize.ts), and goes on in its next invocation.
  const readingSeconds = 0.75 * BATCH_TIMEOUTS.finalizeSeconds;
  const invocations = Math.ceil(model.finalizeSeconds / readingSeconds);
  return [
    "<!-- Generated by `npm run scaling` (scripts/scaling.ts) from docs/scaling-measurements.json: edit those, not this page. -->",
    "# What a million-image job costs, and how long it takes",
    "",
    `A detect → crop → classify batch job of a million images on AWS, priced from the times and S3 requests measured by \`npm run bench -- batch\` on this project's own machine and AWS's us-east-1 list prices (read ${PRICES_DATE}). Every cost is a formula shown with its inputs, and the total is their sum; with other measurements or prices, \`npm run scaling\` writes this page again.`,
    "",
    "## Measured",
    "",
    row(["what", "value"]),
    row(["---", "---"]),
    row(["run", `\`npm run bench -- batch\`, ${m.measured_at}, Node ${m.machine.node}`]),
    row(["machine", `${m.machine.cpus} CPUs (${m.machine.cpu_model}), load average ${fmt(m.machine.load_average_1m_at_start)} at the start`]),
    row(["images", `${fmt(m.images)}: ${m.image_set}`]),
    row(["detect → crop → classify, `engine.run` per image", `${spread(m.detect_crop_classify_ms_per_image)} ms`]),
    row([`one worker call on ${m.batch_size} images (local S3 server)`, `${spread(m.worker_batch_ms)} ms`]),
    ...(m.worker_batch_ms_one_cpu ? [row(["the same, the process held to one CPU", `${spread(m.worker_batch_ms_one_cpu)} ms`])] : []),
    ...KINDS.map((kind) => row([`S3 ${kind.toUpperCase()} requests per image`, fmt(m.s3_requests_per_image[kind], 4)])),
    row(["of them answered 412 (already written)", fmt(m.s3_requests_per_image.precondition_failed, 4)]),
    "",
    ...(m.notes ? [m.notes, ""] : []),
    "The S3 requests were counted at the local S3 server during the bench's detection job (the same requests as detect → crop → classify without image outputs), from its job.json to Finalize's end, and divided by its images: the job's own few files are spread over a small job's images, so at a million images they weigh less than shown.",
    "",
    "## Per-image time on a worker Lambda",
    "",
    `The worker Lambda has M = ${fmt(JOB.workerMb)} MB (infra/function-settings.ts) and takes batches of b = ${JOB.batchSize} (the default, @cvflow/batch/definition). On AWS each S3 request takes longer than on loopback; within a batch the worker's reads and writes overlap the model runs of the images in flight, so only the few a batch waits for are added.`,
    "",
    ...model.derivation.map((line) => `    ${line}`),
    "",
    `## One million images (N = 10⁶), b = ${JOB.batchSize}, C = ${JOB.maxConcurrency}`,
    "",
    row(["item", "formula", "cost"]),
    row(["---", "---", "---:"]),
    ...model.lines.map((line) => row([line.item, line.formula, usd(line.cents)])),
    row(["**total**", "the sum of the lines above", `**${usd(model.totalCents)}**`]),
    "",
    `Target: at most $${JOB.targetUsd} per million images: ${model.totalCents <= JOB.targetUsd * 100 ? "met" : "**not met**"} ($${fmt(model.totalCents / 100 / 1000, 4)} per thousand images).`,
    "",
    `With bigger batches the lines per batch shrink (the S3 requests per image are kept as measured at b = ${m.batch_size}): b = ${OTHER_BATCH_SIZES.map((size) => `${size}: ${usd(scalingModel(m, size).totalCents)}`).join(", ")}. A batch is the unit of retry, and an Express child must end within 5 minutes, retries included: b × t_image stays far below it.`,
    "",
    "## Worker memory",
    "",
    `Lambda bills GB-seconds, so a smaller worker is cheaper as long as its time grows less than its memory shrinks${m.worker_batch_ms_one_cpu ? ` (measured here: ${ms(m.worker_batch_ms_one_cpu.mean / 1000 / m.batch_size)} per image on one CPU against ${ms(m.worker_batch_ms.mean / 1000 / m.batch_size)} on ${m.machine.cpus})` : " (not measured here: without a one-CPU run the time is taken to grow in proportion, which makes every size cost the same)"}. The deployed size is ${fmt(JOB.workerMb)} MB. A smaller size must still hold the models and a batch's images in memory (not checked here), and each worker takes longer, so the same throughput needs a higher C.`,
    "",
    row(["M", "vcpus = M / 1,769 MB", "t_image = t_compute + t_s3_serial", "Lambda compute = N × t_image × M × price"]),
    row(["---", "---:", "---:", "---:"]),
    ...WORKER_SIZES.map((mb) => {
      const t = workerCompute(m, mb).seconds + model.serialSeconds;
      return row([`${fmt(mb)} MB${mb === JOB.workerMb ? " (deployed)" : ""}`, fmt(mb / ASSUMPTIONS.lambdaMbPerVcpu.value, 3), ms(t), usd(cents(JOB.images * t * (mb / 1024) * PRICES.lambdaGbSecond.usd))]);
    }),
    "",
    "## Sometimes, and the options not taken",
    "",
    "Not in the total.",
    "",
    row(["item", "formula", "cost"]),
    row(["---", "---", "---:"]),
    ...model.extras.map((line) => row([line.item, line.formula, usd(line.cents)])),
    "",
    "A first run spends no request on idempotency: the worker writes results.json and failure.json with `If-None-Match: *`, and S3 answers a second write with 412 instead of the worker listing each image's folder first. Only a retried batch, or a job run again, checks each image with HEAD (a GET-class request, 12.5 times cheaper than a LIST). One result object per batch would save most of the PUT line, but it would break the documented `{image}/results.json` layout that users read, so it is not taken.",
    "",
    "## Time, by MaxConcurrency C",
    "",
    `Throughput is C / t_image (t_image = ${fmt(model.imageSeconds * 1000, 1)} ms); the account's Lambda concurrency, 1,000 by default, is the ceiling.`,
    "",
    row(["C", "images/s = C / t_image", "10⁶ images = N × t_image / C"]),
    row(["---", "---:", "---:"]),
    ...[JOB.maxConcurrency, 100, 500].map((c) => row([`${c}${c === JOB.maxConcurrency ? " (the default)" : ""}`, fmt(c / model.imageSeconds, 0), duration((JOB.images * model.imageSeconds) / c)])),
    "",
    "Add Prepare's listing and Finalize (below). At C = 500 the workers write thousands of objects a second under one prefix; S3 partitions a new prefix range over minutes, so expect 503 SlowDown at first, which the worker reports as `cvflow.TransientError` and the map retries with backoff.",
    "",
    "## Limits at this scale",
    "",
    `- Finalize reads every results.json, ${FINALIZE_READS_IN_FLIGHT} at a time: N × max(${ASSUMPTIONS.s3LatencyMs.value} ms / ${FINALIZE_READS_IN_FLIGHT}, ${ASSUMPTIONS.finalizeCpuMsPerImage.value} ms of CPU) = ${fmt(model.finalizeSeconds, 0)} s for a million images: the CPU, not S3, bounds it. An invocation reads until a quarter of its ${BATCH_TIMEOUTS.finalizeSeconds} s is left (${fmt(readingSeconds, 0)} s), keeps its progress in S3 and the state machine runs Finalize again: ${invocations} invocation${invocations === 1 ? "" : "s"}. Memory does not grow with N: ${fmt(FINALIZE_CHUNK)} documents at a time, the aggregated files sent in 8 MiB multipart parts (about ${fmt((JOB.images * ASSUMPTIONS.resultKb.value) / 1024 ** 2, 1)} GB of them); only the manifest is read whole (about 100 bytes an image). There is no listing of the output prefix: a failure.json is read only where results.json is missing.`,
    "- `GET /batch/jobs/{id}` counts progress by listing the output prefix: for a million images, 1,000 or more listings per call; a counter kept by the workers would be cheaper.",
    "",
    "## Prices used",
    "",
    row(["name", "USD", "per", "source"]),
    row(["---", "---:", "---", "---"]),
    ...Object.entries(PRICES).map(([name, p]) => row([name, price(p), p.per, p.source])),
    "",
    "## Assumptions (not measured here)",
    "",
    row(["name", "value", "why"]),
    row(["---", "---:", "---"]),
    ...Object.entries(ASSUMPTIONS).map(([name, a]) => row([name, `${fmt(a.value, 4)} ${a.unit}`, a.why])),
    "",
  ].join("\n");
}

export const MEASUREMENTS_FILE = fileURLToPath(new URL("../docs/scaling-measurements.json", import.meta.url));
export const SCALING_DOC = fileURLToPath(new URL("../docs/scaling.md", import.meta.url));

export function committedMeasurements(): ScalingMeasurements {
  return parseMeasurements(JSON.parse(readFileSync(MEASUREMENTS_FILE, "utf8")));
}

if (import.meta.main) {
  const measurements = committedMeasurements();
  writeFileSync(SCALING_DOC, scalingDoc(measurements));
  const model = scalingModel(measurements);
  console.log(`cvflow: docs/scaling.md written: ${usd(model.totalCents)} per million images at t_image ${fmt(model.imageSeconds * 1000, 1)} ms`);
}
