/**
 * The notification sinks' message template (Slack, Twilio, email): each `{{ $parameters.name }}`
 * whose name `message_parameters` defines is replaced by Python's str() of that value, after the
 * name's `message_parameters_operations`; placeholders of undefined names stay as written, and
 * operations run only for names the message uses — Roboflow's format_message.
 */
import { pointerSegment } from "@cvflow/engine";
import type { FieldSpec } from "@cvflow/engine";
import { compileOperations } from "../uql/compile-operations.js";
import type { OperationDefinition } from "../uql/operation-spec.js";
import { pyStr } from "../uql/python-values.js";
import { operationsListSchema } from "../uql/schema-refs.js";

const PLACEHOLDER = /\{\{\s*\$parameters\.([\p{L}\p{N}_]+)\s*\}\}/gu;

export type MessageOperations = Readonly<Record<string, readonly OperationDefinition[]>>;

/** `render`: how a value is written into the message (email v2 writes HTML); Python's str() by default. */
export function formatMessage(
  message: string,
  parameters: Readonly<Record<string, unknown>>,
  operations: MessageOperations,
  // Not pyStr itself: its second parameter (nested) would take the name and quote strings.
  render: (value: unknown, name: string) => string = (value) => pyStr(value),
): string {
  const values = new Map<string, string>();
  const valueOf = (name: string): string => {
    let text = values.get(name);
    if (text === undefined) {
      const chain = operations[name];
      const value = chain?.length ? compileOperations(chain, `/message_parameters_operations/${pointerSegment(name)}`)(parameters[name], {}) : parameters[name];
      values.set(name, (text = render(value, name)));
    }
    return text;
  };
  return message.replace(PLACEHOLDER, (placeholder, name: string) => (Object.hasOwn(parameters, name) ? valueOf(name) : placeholder));
}

export const messageParametersField: FieldSpec = {
  description: "Values the message's {{ $parameters.name }} placeholders take, by name.",
  shape: "dict",
  kinds: ["*"],
  schema: { type: ["string", "number", "boolean"] },
  default: {},
};

export const messageParametersOperationsField: FieldSpec = {
  description: "Operations applied to a parameter's value before it is put into the message (by name).",
  schema: { type: "object", additionalProperties: operationsListSchema },
  default: {},
};
