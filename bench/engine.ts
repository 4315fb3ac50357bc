/**
 * Engine benchmarks:
 * - compile_cold_ms: compiling a realistic 50-step definition with an empty plan cache;
 * - compile_cached_us: the same definition, re-parsed from JSON as a request would bring it
 *   (a new object each time), answered from the plan cache;
 * - compile_cached_reordered_us: the same with its keys in another order, so found only by the
 *   canonical hash (a fresh engine each time, so the text index cannot help);
 * - overhead_per_step_element_us: a 10-step chain of no-op blocks over a 100-element batch,
 *   minus a plain loop that calls the same no-op function as often, per step-element.
 */
import { coreBlocks } from "@cvflow/blocks";
import { BlockRegistry, defineBlock, WorkflowEngine, type Block } from "@cvflow/engine";
import { median, round, timeMs, type BenchResult } from "./measure.js";

const noop = defineBlock<{ value: unknown }>({
  manifest: {
    type: "bench/noop@v1",
    name: "No-op",
    description: "Returns its input.",
    family: "formatters",
    fields: { value: { kinds: ["*"], required: true } },
    outputs: [{ name: "output", kinds: ["*"] }],
  },
  run: (params) => ({ output: params.value }),
});

/**
 * 50 steps of the pure-compute blocks a real definition chains, ten groups of: filter, count,
 * widen the boxes, an expression or a gate, a template. Mixing heavy query-language steps with
 * light ones gives about the reference suite's average step size (194 bytes of JSON).
 */
export function fiftyStepDefinition(): Record<string, unknown> {
  const statement = (left: Record<string, unknown>, comparator: string, right: Record<string, unknown>) => ({
    type: "StatementGroup",
    statements: [{ type: "BinaryStatement", left_operand: left, comparator: { type: comparator }, right_operand: right }],
  });
  const steps: Record<string, unknown>[] = [];
  let predictions = "$inputs.predictions";
  for (let i = 0; i < 10; i++) {
    steps.push({
      type: "DetectionsFilter",
      name: `filter_${i}`,
      predictions,
      operations: [{
        type: "DetectionsFilter",
        filter_operation: statement(
          { type: "DynamicOperand", operations: [{ type: "ExtractDetectionProperty", property_name: "confidence" }] },
          "(Number) >=",
          { type: "StaticOperand", value: 0.1 * (i % 5) },
        ),
      }],
    });
    steps.push({ type: "PropertyDefinition", name: `count_${i}`, data: `$steps.filter_${i}.predictions`, operations: [{ type: "SequenceLength" }] });
    steps.push({ type: "DetectionOffset", name: `offset_${i}`, predictions: `$steps.filter_${i}.predictions`, offset_width: 4, offset_height: 4 });
    predictions = `$steps.offset_${i}.predictions`;
    steps.push(i % 2 === 0
      ? {
          type: "Expression",
          name: `label_${i}`,
          data: { count: `$steps.count_${i}.output`, threshold: "$inputs.threshold" },
          switch: {
            type: "CasesDefinition",
            cases: [{
              type: "CaseDefinition",
              condition: statement({ type: "DynamicOperand", operand_name: "count" }, "(Number) >=", { type: "DynamicOperand", operand_name: "threshold" }),
              result: { type: "StaticCaseResult", value: "many" },
            }],
            default: { type: "StaticCaseResult", value: "few" },
          },
        }
      : {
          type: "ContinueIf",
          name: `gate_${i}`,
          condition_statement: statement({ type: "DynamicOperand", operand_name: "count" }, "(Number) >=", { type: "StaticOperand", value: 1 }),
          evaluation_parameters: { count: `$steps.count_${i}.output` },
          next_steps: [`$steps.tpl_${i}`],
        });
    steps.push({ type: "roboflow_core/string_template@v1", name: `tpl_${i}`, template: "{count} boxes", data: { count: `$steps.count_${i}.output` } });
  }
  return {
    version: "1.0",
    inputs: [
      { type: "WorkflowBatchInput", name: "predictions", kind: ["object_detection_prediction"] },
      { type: "WorkflowParameter", name: "threshold", default_value: 2 },
    ],
    steps,
    outputs: [{ type: "JsonField", name: "result", selector: "$steps.tpl_9.output" }],
  };
}

function chainDefinition(length: number): Record<string, unknown> {
  const steps = Array.from({ length }, (_, i) => ({ type: "bench/noop@v1", name: `s${i}`, value: i === 0 ? "$inputs.x" : `$steps.s${i - 1}.output` }));
  return { version: "1.0", inputs: [{ type: "WorkflowBatchInput", name: "x" }], steps, outputs: [{ type: "JsonField", name: "y", selector: `$steps.s${length - 1}.output` }] };
}

export async function* engineBench(): AsyncIterable<BenchResult> {
  const registry = new BlockRegistry([...coreBlocks, noop as Block]);
  const definition = fiftyStepDefinition();
  const text = JSON.stringify(definition);

  const cold = await timeMs(() => new WorkflowEngine({ registry }).compile(JSON.parse(text)), 50);
  const parseOnly = await timeMs(() => JSON.parse(text), 50);
  const bytes = text.length;
  yield { metric: "compile_cold_ms", value: round(cold - parseOnly), unit: "ms", target: null, steps: 50, definition_bytes: bytes };

  const engine = new WorkflowEngine({ registry });
  engine.compile(definition);
  // Each call gets a definition freshly parsed (untimed), as a request would bring it.
  const samples: number[] = [];
  for (let i = 0; i < 3000; i++) {
    const copy = JSON.parse(text) as unknown;
    const t0 = performance.now();
    engine.compile(copy);
    samples.push(performance.now() - t0);
  }
  yield { metric: "compile_cached_us", value: round(median(samples.slice(200)) * 1000), unit: "us", target: "<= 50", steps: 50, definition_bytes: bytes };

  // The same definition with every object's keys in reverse order: found by its canonical hash.
  const reversed = (v: unknown): unknown =>
    Array.isArray(v) ? v.map(reversed) : v && typeof v === "object" ? Object.fromEntries(Object.entries(v).reverse().map(([k, x]) => [k, reversed(x)])) : v;
  const reorderedText = JSON.stringify(reversed(definition));
  const reordered: number[] = [];
  for (let i = 0; i < 2000; i++) {
    const copy = JSON.parse(reorderedText) as unknown;
    const fresh = new WorkflowEngine({ registry });
    fresh.compile(definition);
    const t0 = performance.now();
    fresh.compile(copy);
    reordered.push(performance.now() - t0);
  }
  yield { metric: "compile_cached_reordered_us", value: round(median(reordered.slice(200)) * 1000), unit: "us", target: null, steps: 50, definition_bytes: bytes };

  const steps = 10;
  const elements = 100;
  const chain = engine.compile(chainDefinition(steps));
  const x = Array.from({ length: elements }, (_, i) => i);
  const engineMs = await timeMs(() => engine.run(chain, { x }), 200);
  const plainMs = await timeMs(() => {
    let values: unknown[] = x;
    for (let s = 0; s < steps; s++) values = values.map((v) => (noop.run({ value: v }, undefined as never) as { output: unknown }).output);
    return values;
  }, 200);
  const per = ((engineMs - plainMs) * 1000) / (steps * elements);
  yield { metric: "plain_loop_per_step_element_us", value: round((plainMs * 1000) / (steps * elements)), unit: "us", target: null };
  yield { metric: "overhead_per_step_element_us", value: round(per), unit: "us", target: "<= 20", steps, elements };
}
