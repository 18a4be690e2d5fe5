import { spawn } from 'node:child_process';

export interface Ran {
  stdout: string;
  stderr: string;
  /** Wall time from spawn to exit: the runtime's start-up included. */
  ms: number;
  code: number;
}

/**
 * Runs a command to its end and resolves with what it printed; rejects with that output when
 * it exits otherwise than `okCodes` (0) or outlives `timeoutMs`, so a runtime's own failure
 * message reaches the test.
 */
export function run(command: string, args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv; timeoutMs?: number; okCodes?: number[] }): Promise<Ran> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text));
    child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const ms = Math.round(performance.now() - started);
      if (code !== null && (options.okCodes ?? [0]).includes(code)) return resolve({ stdout, stderr, ms, code });
      const how = signal ? `was killed (${signal}) after ${ms} ms` : `exited with ${code}`;
      reject(new Error(`${command} ${args.join(' ')} ${how}\n--- stderr\n${stderr}\n--- stdout\n${stdout}`));
    });
  });
}

/** The last line a runner printed, which is its result as JSON. */
export function lastJSON<T>(stdout: string): T {
  const line = stdout.trim().split('\n').at(-1) ?? '';
  try {
    return JSON.parse(line) as T;
  } catch {
    throw new Error(`expected a JSON result as the last line, got:\n${stdout}`);
  }
}
