import { createChatCompletion } from '../chat.js';
import { eventStream } from '../events/to-events.js';
import type { ChatCompletionEvent } from '../events/types.js';
import { copyResponse } from '../http/meta.js';
import { iterable } from '../stream/iterable.js';
import type { IterableStream } from '../stream/iterable.js';
import { createValidations } from '../structured/validations.js';
import type { Validations } from '../structured/validations.js';
import type { ChatCompletion } from '../types/index.js';
import { finishStep, nextRequest, resultOf, startRun } from './run.js';
import type { Run } from './run.js';
import { parseStep } from './step.js';
import type { RunToolsEvent, RunToolsOptions, RunToolsStreamingParams } from './types.js';
import { noop } from '../own.js';

type Controller = ReadableStreamDefaultController<RunToolsEvent>;

/** The step being streamed: its events, what their done events validated, and its folded answer once in. */
interface Step {
  events: ReadableStreamDefaultReader<ChatCompletionEvent<unknown, unknown>>;
  validations: Validations;
  completion: ChatCompletion | undefined;
}

/**
 * The loop as a pull-based stream: a read of it reads one event of the current step, or runs
 * the step's tools once its answer is complete. Cancelling it stops the request and the tools.
 */
export function streamTools(body: RunToolsStreamingParams, options: RunToolsOptions): IterableStream<RunToolsEvent> {
  const run = startRun(body, options);
  let step: Step | undefined;

  /** One move forward: an event of the step, or the step's end; whether it enqueued anything. */
  async function advance(controller: Controller): Promise<boolean> {
    step ??= await startStep(run);
    const { done, value } = await step.events.read();
    if (done) {
      const ended = step;
      step = undefined;
      return endStep(run, ended, controller);
    }
    if (value.type === 'done') step.completion = value.completion;
    else controller.enqueue(value);
    return value.type !== 'done';
  }

  const source: UnderlyingDefaultSource<RunToolsEvent> = {
    async pull(controller) {
      try {
        // Until this pull gives an event: a pull that enqueues nothing is not called again.
        for (let given = false; !given;) given = await advance(controller);
      } catch (error) {
        run.stop.release();
        controller.error(error);
      }
    },
    async cancel(reason) {
      // The step's stream first (the request goes with it), then whatever tools are running.
      await step?.events.cancel(reason).catch(noop);
      run.stop.abort();
      run.stop.release();
    },
  };
  return iterable(new ReadableStream(source, { highWaterMark: 0 }));
}

/** The step's request, and its events as the loop reads them: lenient on what the loop answers to the model. */
async function startStep(run: Run): Promise<Step> {
  const chunks = await createChatCompletion(nextRequest(run, true), { ...run.options, signal: run.stop.signal });
  const validations = createValidations();
  const request = { response_format: run.body.response_format, tools: run.body.tools };
  const events = eventStream(chunks, request, { stream: chunks, toolLoop: { validations } }).getReader();
  return { events, validations, completion: undefined };
}

/** The step's answer is in: parsed with what the events validated, its tools run, `step.done`, and the last `done` if the loop stops. */
async function endStep(run: Run, step: Step, controller: Controller): Promise<true> {
  const index = run.steps.length;
  const parsed = await parseStep(step.completion!, run.body, step.validations.take);
  const stopReason = await finishStep(run, parsed, (result) => controller.enqueue({ type: 'tool.result', step: index, ...result }));
  controller.enqueue({ type: 'step.done', step: index, ...run.steps[index]! });
  if (stopReason) {
    const result = resultOf(run, stopReason);
    const done = { type: 'done' as const, ...result };
    copyResponse(result, done);
    controller.enqueue(done);
    controller.close();
    run.stop.release();
  }
  return true;
}
