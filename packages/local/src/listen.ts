/**
 * Listening on a port, with a port already taken reported as a PortInUseError naming the port
 * (and, when the stack knows it, the variable that moves it) rather than a bare EADDRINUSE:
 * `npm start` and `cvflow serve` print its message and exit 1, without a stack trace.
 */
import type { AddressInfo, Server } from "node:net";
import { StackStartError } from "./stack-start-error.js";

/** Which of the stack's servers wanted the port, and the environment variable that chooses it. */
export interface PortOwner {
  server: string;
  variable: string;
}

export class PortInUseError extends StackStartError {
  constructor(
    readonly port: number,
    readonly host: string,
    readonly owner?: PortOwner,
    options?: { cause?: unknown },
  ) {
    super(
      "port_in_use",
      owner
        ? `port ${port} on ${host} (${owner.server}) is already in use, by another program or another cvflow stack; set ${owner.variable} to a free port (${owner.variable}=0 picks one)`
        : `port ${port} on ${host} is already in use`,
      options,
    );
  }

  /** The same error, saying which server wanted the port and what moves it. */
  ownedBy(owner: PortOwner): PortInUseError {
    return new PortInUseError(this.port, this.host, owner, { cause: this.cause });
  }
}

/** Resolves once `server` listens; a port in use rejects with a PortInUseError, other failures as they are. */
export function listen(server: Server, port: number, host: string): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    const failed = (error: NodeJS.ErrnoException) => reject(error.code === "EADDRINUSE" ? new PortInUseError(port, host, undefined, { cause: error }) : error);
    server.once("error", failed);
    server.listen(port, host, () => {
      server.off("error", failed);
      resolve(server.address() as AddressInfo);
    });
  });
}
