// A bound on the reads or calls in flight at once, for fan-outs whose size grows with the ledger or a
// fleet.

/** At most `max` tasks at once; a finishing task hands its place to the next in line. */
export const limiter = (max: number) => {
  let active = 0;
  const waiting: (() => void)[] = [];
  return async <T>(task: () => Promise<T>): Promise<T> => {
    if (active < max) active += 1;
    else await new Promise<void>((resolve) => waiting.push(resolve));
    try {
      return await task();
    } finally {
      const next = waiting.shift();
      if (next) next();
      else active -= 1;
    }
  };
};
