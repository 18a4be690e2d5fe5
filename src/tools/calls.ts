import type { ChatCompletionMessageParam } from '../types/index.js';
import { describeThrown } from './describe.js';
import type { CallPlan } from './step.js';
import type { Stop } from './stop.js';
import type { ToolResult } from './types.js';

/**
 * Every call of the step, in the order asked: concurrently, or one by one (`parallel` false).
 * Each `execute` gets a copy of `messages`: the transcript with the calls' assistant message last.
 */
export async function runCalls(plans: CallPlan[], messages: ChatCompletionMessageParam[], stop: Stop, parallel: boolean): Promise<ToolResult[]> {
  const runOne = (plan: CallPlan) => stop.race(runCall(plan, messages, stop.signal));
  if (parallel) return Promise.all(plans.map(runOne));
  const results: ToolResult[] = [];
  for (const plan of plans) results.push(await runOne(plan));
  return results;
}

/** One call: its planned error, or what `execute` gives; whatever it throws becomes the model's answer. */
async function runCall(plan: CallPlan, messages: ChatCompletionMessageParam[], signal: AbortSignal): Promise<ToolResult> {
  if ('error' in plan) return failed(plan.toolCall, plan.error);
  const { toolCall, tool, args } = plan;
  let result: unknown;
  try {
    result = await tool.execute!(args, { signal, toolCall, messages: [...messages] });
  } catch (error) {
    if (signal.aborted) throw error;
    return failed(toolCall, `Error: ${toolCall.function.name} failed: ${describeThrown(error)}`);
  }
  return asResult(toolCall, result);
}

function failed(toolCall: ToolResult['toolCall'], error: string): ToolResult {
  return { toolCall, content: error, error };
}

/** A string as it is; anything else as JSON (`undefined` as an empty answer); a result JSON cannot carry is a failure. */
function asResult(toolCall: ToolResult['toolCall'], result: unknown): ToolResult {
  if (typeof result === 'string') return { toolCall, content: result };
  if (result === undefined) return { toolCall, content: '' };
  try {
    return { toolCall, content: JSON.stringify(result) ?? '' };
  } catch (error) {
    return failed(toolCall, `Error: the tool's result cannot be sent as JSON: ${describeThrown(error)}`);
  }
}
