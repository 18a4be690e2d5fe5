import { spawn } from 'node:child_process';
import type { ChildProcess, StdioOptions } from 'node:child_process';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';

/** How long a process gets to end on SIGTERM before SIGKILL. */
const GRACE_MS = 2_000;
/** The tail of a process's output kept for a failure's message. */
const KEPT_OUTPUT = 4_000;

export interface Started {
  child: ChildProcess;
  /** The end of what it printed on stdout and stderr, for a failure's message. */
  output(): string;
  /** Ends it (and, for a group, everything it started); resolves once it has exited. */
  stop(): Promise<void>;
}

/**
 * Spawns a long-lived helper (a display server, a WebDriver). With `group`, it leads its own
 * process group, so `stop()` also ends the browser processes it spawned, by that group's id.
 */
export function start(
  command: string,
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; group?: boolean; stdio?: StdioOptions } = {},
): Started {
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: options.env ?? process.env,
    detached: options.group === true,
    stdio: options.stdio ?? ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (text: string) => {
    output = (output + text).slice(-KEPT_OUTPUT);
  };
  child.stdout?.setEncoding('utf8').on('data', keep);
  child.stderr?.setEncoding('utf8').on('data', keep);
  const exited = new Promise<void>((resolve) => {
    child.on('exit', () => resolve());
    // Never spawned (a missing binary): nothing to wait for.
    child.on('error', (error) => {
      keep(`${command}: ${error.message}`);
      resolve();
    });
  });
  const signal = (name: NodeJS.Signals) => {
    if (child.pid === undefined) return;
    try {
      process.kill(options.group ? -child.pid : child.pid, name);
    } catch {
      // Already gone.
    }
  };
  // A test runner that exits with this still running (a hung test) takes it along.
  const onExit = () => signal('SIGKILL');
  process.once('exit', onExit);
  return {
    child,
    output: () => output,
    async stop() {
      process.removeListener('exit', onExit);
      signal('SIGTERM');
      const timer = setTimeout(() => signal('SIGKILL'), GRACE_MS);
      await exited;
      clearTimeout(timer);
      // The leader may go first; what it started must not outlive it.
      if (options.group) signal('SIGKILL');
    },
  };
}

/** A TCP port on 127.0.0.1 that was free a moment ago, for a server that must be told its port. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Polls `ready` every `everyMs` until it resolves true, or throws `what` after `timeoutMs`. */
export async function waitUntil(ready: () => Promise<boolean>, what: string, timeoutMs: number, everyMs = 50): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await ready())) {
    if (Date.now() > deadline) throw new Error(`${what} (waited ${timeoutMs} ms)`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}
