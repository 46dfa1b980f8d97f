// The end-to-end tests' one shape: a local stack started, one scenario run on it with its lines kept,
// every delivery settled; the stack stopped afterwards (or at once, when the run fails, so no moto is
// left behind). A test file keeps `stack`, `result` and `lines` and asserts on them.
import type { ScenarioOptions, ScenarioResult } from '../../local/release-scenario';
import { runReleaseScenario } from '../../local/release-scenario';
import { type LocalStack, type StackOptions, startLocalStack } from '../../local/stack';
import { Timeline } from '../../local/timeline';

export type Scenario = (
  stack: LocalStack,
  timeline: Timeline,
  out: (line: string) => void,
) => Promise<ScenarioResult>;

export interface ScenarioRun {
  stack: LocalStack;
  result: ScenarioResult;
}

export const runOnStack = async (
  options: StackOptions,
  lines: string[],
  scenario: Scenario,
  hooks: { prepare?: (stack: LocalStack) => void; onLine?: (line: string, stack: LocalStack) => void } = {},
): Promise<ScenarioRun> => {
  const stack = await startLocalStack(options);
  const out = (line: string) => {
    lines.push(line);
    hooks.onLine?.(line, stack);
  };
  try {
    hooks.prepare?.(stack);
    const result = await scenario(stack, new Timeline(out), out);
    await stack.router.settle();
    return { stack, result };
  } catch (error) {
    await stack.stop();
    throw error;
  }
};

/** The release scenario as `npm start -- --auto-approve` runs it: v1.0.0, no instance made to fail. */
export const autoApprovedRelease =
  (options: Pick<ScenarioOptions, 'artifact'> & Partial<ScenarioOptions>): Scenario =>
  (stack, timeline, out) =>
    runReleaseScenario(stack, timeline, {
      release: 'v1.0.0',
      autoApprove: true,
      failingEnvironments: new Set(),
      out,
      ...options,
    });
