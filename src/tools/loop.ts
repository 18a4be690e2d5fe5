import { createChatCompletion } from '../chat.js';
import { validateNow } from '../structured/validations.js';
import { finishStep, nextRequest, resultOf, startRun } from './run.js';
import { parseStep } from './step.js';
import type { RunToolsOptions, RunToolsParams, RunToolsResult } from './types.js';

/** The loop without streaming: one request a step, its answer parsed, its calls run, until it stops. */
export async function loop(body: RunToolsParams, options: RunToolsOptions): Promise<RunToolsResult> {
  const run = startRun(body, options);
  try {
    for (;;) {
      const completion = await createChatCompletion(nextRequest(run, false), { ...options, signal: run.stop.signal });
      const stopReason = await finishStep(run, await parseStep(completion, body, validateNow));
      if (stopReason) return resultOf(run, stopReason);
    }
  } finally {
    run.stop.release();
  }
}
