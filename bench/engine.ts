/**
 * Engine benchmarks:
 * - compile_cold_ms: compiling a realistic 50-step definition with an empty plan cache;
 * - compile_cached_us: the same definition, re-parsed from JSON as a request would bring it
 *   (a new object each time), answered from the cache (canonical hash + LRU);
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

/** 50 steps of the pure-compute blocks a real definition chains: filter, count, expressions, gates. */
export function fiftyStepDefinition(): Record<string, unknown> {
  const steps: Record<string, unknown>[] = [];
  let predictions = "$inputs.predictions";
  for (let i = 0; steps.length < 50; i++) {
    steps.push({
      type: "DetectionsFilter",
      name: `filter_${i}`,
      predictions,
      operations: [{
        type: "DetectionsFilter",
        filter_operation: {
          type: "StatementGroup",
          operator: "and",
          statements: [{
            type: "BinaryStatement",
            left_operand: { type: "DynamicOperand", operations: [{ type: "ExtractDetectionProperty", property_name: "confidence" }] },
            comparator: { type: "(Number) >=" },
            right_operand: { type: "StaticOperand", value: 0.1 * (i % 5) },
          }],
        },
      }],
    });
    predictions = `$steps.filter_${i}.predictions`;
    steps.push({
      type: "PropertyDefinition",
      name: `count_${i}`,
      data: predictions,
      operations: [{ type: "SequenceLength" }],
    });
    steps.push({
      type: "Expression",
      name: `label_${i}`,
      data: { count: `$steps.count_${i}.output`, threshold: "$inputs.threshold" },
      switch: {
        type: "CasesDefinition",
        cases: [{
          type: "CaseDefinition",
          condition: {
            type: "StatementGroup",
            statements: [{
              type: "BinaryStatement",
              left_operand: { type: "DynamicOperand", operand_name: "count" },
              comparator: { type: "(Number) >=" },
              right_operand: { type: "DynamicOperand", operand_name: "threshold" },
            }],
          },
          result: { type: "StaticCaseResult", value: "many" },
        }],
        default: { type: "StaticCaseResult", value: "few" },
      },
    });
    steps.push({
      type: "roboflow_core/continue_if@v1",
      name: `gate_${i}`,
      condition_statement: {
        type: "StatementGroup",
        statements: [{
          type: "BinaryStatement",
          left_operand: { type: "DynamicOperand", operand_name: "label" },
          comparator: { type: "==" },
          right_operand: { type: "StaticOperand", value: "many" },
        }],
      },
      evaluation_parameters: { label: `$steps.label_${i}.output` },
      next_steps: [`$steps.tpl_${i}`],
    });
    steps.push({
      type: "roboflow_core/string_template@v1",
      name: `tpl_${i}`,
      template: "{label}: {count}",
      data: { label: `$steps.label_${i}.output`, count: `$steps.count_${i}.output` },
    });
  }
  return {
    version: "1.0",
    inputs: [
      { type: "WorkflowBatchInput", name: "predictions", kind: ["object_detection_prediction"] },
      { type: "WorkflowParameter", name: "threshold", default_value: 2 },
    ],
    steps: steps.slice(0, 50),
    outputs: [{ type: "JsonField", name: "result", selector: `$steps.tpl_9.output` }],
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
  yield { metric: "compile_cold_ms", value: round(cold - parseOnly), unit: "ms", target: null, steps: 50 };

  const engine = new WorkflowEngine({ registry });
  engine.compile(definition);
  const copies = Array.from({ length: 2000 }, () => JSON.parse(text) as unknown);
  const samples: number[] = [];
  for (const copy of copies) {
    const t0 = performance.now();
    engine.compile(copy);
    samples.push(performance.now() - t0);
  }
  yield { metric: "compile_cached_us", value: round(median(samples.slice(200)) * 1000), unit: "us", target: "<= 50", steps: 50 };

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
