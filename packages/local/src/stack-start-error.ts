/**
 * A reason the local stack cannot start that its user can fix (a port in use, a setting that is
 * no port): `npm start` and `cvflow serve` print its message as one line and exit 1, with no
 * stack trace. Anything else thrown while starting is a bug and keeps its trace.
 */
export class StackStartError extends Error {
  constructor(
    readonly code: "port_in_use" | "invalid_setting",
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "StackStartError";
  }
}
