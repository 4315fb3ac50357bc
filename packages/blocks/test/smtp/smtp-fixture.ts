/**
 * A real SMTP server for tests: smtp-server.py (Debian's python3-aiosmtpd) over implicit TLS with
 * the self-signed certificate next to it (SAN 127.0.0.1 and smtp.test.example, valid to 2126),
 * which `trustTestCertificate` adds to this process's default CAs. Each message arrives as Python's
 * email parser reads it.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { createInterface } from "node:readline";
import { getCACertificates, setDefaultCACertificates } from "node:tls";
import { fileURLToPath } from "node:url";
import { skipping } from "@cvflow/vision/test-assets";

const here = (name: string): string => fileURLToPath(new URL(name, import.meta.url));
export const CERT = here("cert.pem");
const KEY = here("key.pem");
const SCRIPT = here("smtp-server.py");

export interface ReceivedPart {
  content_type: string;
  disposition: string | null;
  filename: string | null;
  content_id: string | null;
  text?: string;
  base64?: string;
}

export interface ReceivedMail {
  auth: [string, string] | null;
  mail_from: string;
  rcpt_tos: string[];
  message: { headers: Record<string, string>; content_type: string; parts: ReceivedPart[] };
}

/** The first Python with aiosmtpd (CI's is Debian's python3; a developer's `python3` may be another), or undefined. */
function pythonWithAiosmtpd(): string | undefined {
  return ["python3", "/usr/bin/python3"].find((python) => spawnSync(python, ["-c", "import aiosmtpd"], { stdio: "ignore" }).status === 0);
}

const python = pythonWithAiosmtpd();

/** Why the SMTP tests skip (one line), or undefined when the server can run. */
export function smtpMissing(suite: string): string | undefined {
  return python ? undefined : skipping(suite, ["no python3 with aiosmtpd: install Debian's python3-aiosmtpd (apt-get install python3-aiosmtpd)"]);
}

export function trustTestCertificate(): void {
  setDefaultCACertificates([...getCACertificates("default"), readFileSync(CERT, "utf8")]);
}

export interface SmtpServer {
  port: number;
  /** Messages received so far, in order. */
  mails: ReceivedMail[];
  /** Connections accepted so far. */
  connections: number;
  /** Resolves at the next connection. */
  nextConnection(): Promise<void>;
  /** Resolves once `count` messages have arrived (the server records one before it answers 250). */
  received(count: number): Promise<ReceivedMail[]>;
  close(): Promise<void>;
}

/** Starts the server; `silent`: it accepts connections (TLS included) and never greets. */
export async function startSmtpServer(password: string, options: { silent?: boolean } = {}): Promise<SmtpServer> {
  const child: ChildProcess = spawn(python!, [SCRIPT, CERT, KEY, password, ...(options.silent ? ["--silent"] : [])], { stdio: ["ignore", "pipe", "pipe"] });
  // aiosmtpd's warnings go nowhere; its last words are shown if it fails to start.
  let stderr = "";
  child.stderr!.on("data", (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-2000)));
  const mails: ReceivedMail[] = [];
  let connectionWaiters: (() => void)[] = [];
  let mailWaiters: (() => void)[] = [];
  const server: SmtpServer = {
    port: 0,
    mails,
    connections: 0,
    nextConnection: () => new Promise((resolve) => connectionWaiters.push(resolve)),
    received: async (count) => {
      while (mails.length < count) await new Promise<void>((resolve) => mailWaiters.push(resolve));
      return mails;
    },
    close: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill();
      }),
  };
  await new Promise<void>((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`smtp-server.py exited with ${code} before listening: ${stderr}`)));
    createInterface({ input: child.stdout! }).on("line", (line) => {
      const event = JSON.parse(line) as { port?: number; connected?: boolean } & Partial<ReceivedMail>;
      if (event.port !== undefined) {
        server.port = event.port;
        resolve();
      } else if (event.connected) {
        server.connections += 1;
        const waiters = connectionWaiters;
        connectionWaiters = [];
        for (const wake of waiters) wake();
      } else {
        mails.push(event as ReceivedMail);
        const waiters = mailWaiters;
        mailWaiters = [];
        for (const wake of waiters) wake();
      }
    });
  });
  return server;
}
