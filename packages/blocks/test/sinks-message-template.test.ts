/**
 * The notification sinks' message template, on the cases Roboflow's format_message tests: the same
 * parameter twice (one inside extra braces), several parameters, the spacing inside the braces,
 * an operation on a parameter, and Twilio v1's cut; values written as Python's str() writes them.
 */
import { describe, expect, it } from "vitest";
import { Secret } from "@cvflow/engine";
import { formatMessage } from "../src/sinks/message-template.js";
import { truncateMessage } from "../src/sinks/twilio_sms_notification.js";

const TWICE = "This is example param: {{{ $parameters.param }}} - and this is aloso param: `{{ $parameters.param }}`";
const UPPER = { param: [{ type: "StringToUpperCase" }] };

describe("formatMessage", () => {
  it("fills every placeholder of a defined name, however spaced, and leaves others as written", () => {
    expect(formatMessage(TWICE, { param: "some" }, {})).toBe("This is example param: {some} - and this is aloso param: `some`");
    expect(formatMessage("This is example param: {{ $parameters.param }} - and this is aloso param: `{{ $parameters.other }}`", { param: "some", other: 42 }, {})).toBe(
      "This is example param: some - and this is aloso param: `42`",
    );
    expect(formatMessage("{{{ $parameters.param }}} - {{$parameters.param }} - {{ $parameters.param}} - {{     $parameters.param     }}", { param: "some" }, {})).toBe(
      "{some} - some - some - some",
    );
    expect(formatMessage("{{ $parameters.absent }} and {{ $parameters.x }}", { x: [1.5, true, null, "a"] }, {})).toBe("{{ $parameters.absent }} and [1.5, True, None, 'a']");
  });

  it("writes a secret as its mask, alone or inside a list", () => {
    const key = new Secret("WORKFLOW_SECRET_KEY", "sk-live-123");
    expect(formatMessage("key={{ $parameters.key }} all={{ $parameters.all }}", { key, all: [key, 1] }, {})).toBe("key=*** all=[***, 1]");
  });

  it("applies a name's operations once before writing it", () => {
    expect(formatMessage(TWICE, { param: "some" }, UPPER)).toBe("This is example param: {SOME} - and this is aloso param: `SOME`");
    // Operations of a name the message does not use never run (this one would fail on a number).
    expect(formatMessage("n={{ $parameters.n }}", { n: 3, param: 5 }, UPPER)).toBe("n=3");
  });

  it("cuts to the limit with ' [...]' (Twilio v1's length_limit)", () => {
    const cut = truncateMessage(formatMessage(TWICE, { param: "some" }, UPPER), 32);
    expect(cut).toBe("This is example param: {SO [...]");
    expect(cut).toHaveLength(32);
  });
});
