import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// `npm start` is the first thing a newcomer runs: it must finish cleanly, one labelled step a
// line, and print no colour codes when its output is not a terminal.
describe('npm start (examples/tour.ts)', () => {
  it('tours every endpoint against the embedded API and exits 0 without stack traces', () => {
    const root = fileURLToPath(new URL('..', import.meta.url));
    const env: NodeJS.ProcessEnv = { ...process.env, OPENAI_API_KEY: '' };
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'examples/tour.ts'], { cwd: root, env, encoding: 'utf8', timeout: 60_000 });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const lines = run.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^No OPENAI_API_KEY: touring the embedded local API at http:\/\/127\.0\.0\.1:\d+\/v1\.$/);
    const steps = lines.filter((line) => /^\d+\. /.test(line));
    expect(steps.map((line) => line.split(':')[0])).toEqual([
      '1. Streaming a completion, token by token',
      '2. Accumulated',
      '3. Stored a completion',
      '4. Listed stored completions',
      '5. Got it back',
      '6. Its messages',
      '7. Updated its metadata',
      '8. Deleted it',
      '9. A 404 caught as a typed error',
      '10. A structured answer, typed by zod',
      '11. The same answer streamed, filling in',
      '12. Its request id and rate limits',
      '13. A two-tool round trip with runTools',
      '14. runTools from a page-like client through the relay, no key',
    ]);
    expect(lines[2]).toBe('   Echo: Say hello to openai-chat-fetch in five words, café style ☕.');
    expect(run.stdout).toMatch(/9\. A 404 caught as a typed error: NotFoundError status 404, request id req_\w+/);
    expect(run.stdout).toContain('10. A structured answer, typed by zod: Ada Lovelace, born 1815, spoke English, French');
    // Partial names as they arrived, then the whole one.
    expect(run.stdout).toMatch(/11\. The same answer streamed, filling in: (Ada[^→]* → )+Ada Lovelace\n/);
    expect(run.stdout).toMatch(/12\. Its request id and rate limits: req_fake\d+, \d+ requests and \d+ tokens left/);
    expect(run.stdout).toContain(
      '13. A two-tool round trip with runTools: weather({"city":"Paris"}), time({"city":"Paris"}) → "In Paris it is sunny, 21 °C, and noon."',
    );
    expect(run.stdout).toMatch(
      /14\. runTools from a page-like client through the relay, no key: weather\(\{"city":"Paris"\}\), time\(\{"city":"Paris"\}\) → "In Paris it is sunny, 21 °C, and noon\."; the relay counted [1-9]\d* tokens for tour-user\n/,
    );
    // No colour codes (ESC [) and no stack-trace lines.
    expect(run.stdout).not.toContain(`${String.fromCharCode(27)}[`);
    expect(run.stdout).not.toMatch(/\n\s+at /);
  });
});
