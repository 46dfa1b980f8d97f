// Tearing the local stack down always ends. Each part gets its own time to stop; one that is still
// busy after it (a delivery that hangs, a server with a stuck connection) is named on stderr and left,
// and the rest stop anyway, so moto_server is never left running behind a stuck part.

export interface StopStep {
  what: string;
  /** How long this part may take before the teardown moves on without it. */
  withinMs: number;
  run: () => Promise<unknown>;
}

/** Runs the steps in order; returns the names of those that did not finish in time or failed. */
export const stopInOrder = async (
  steps: StopStep[],
  report: (line: string) => void = (line) => console.error(line),
): Promise<string[]> => {
  const left: string[] = [];
  for (const step of steps) {
    let timer: NodeJS.Timeout | undefined;
    const outcome = await Promise.race([
      Promise.resolve()
        .then(step.run)
        .then(
          () => 'done' as const,
          (error: unknown) => (error instanceof Error ? error.message : String(error)),
        ),
      new Promise<'late'>((resolve) => {
        timer = setTimeout(() => resolve('late'), step.withinMs);
      }),
    ]);
    clearTimeout(timer);
    if (outcome === 'done') continue;
    left.push(step.what);
    report(
      outcome === 'late'
        ? `local stack: ${step.what} had not stopped after ${step.withinMs / 1000} s; stopping the rest anyway`
        : `local stack: ${step.what} failed to stop (${outcome}); stopping the rest anyway`,
    );
  }
  return left;
};
