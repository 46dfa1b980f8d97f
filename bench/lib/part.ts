// Runs one benchmark part in a process of its own: timings are not disturbed by what another part
// left on the heap, and the local stack's parts get fresh module-scope SDK clients (they bind to the
// endpoints of the stack that was up when they were created). A part answers over IPC; its stdout
// goes to the parent's stderr so that the parent's stdout stays the one markdown document.
import { fork } from 'node:child_process';

const parts = {
  bundles: async () =>
    (await import('../report')).bundleSection(await (await import('../bundles')).benchBundles()),
  handlers: async () =>
    (await import('../report')).handlerSection(await (await import('../handlers')).benchHandlers()),
  calls: async () => (await import('../report')).callSection(await (await import('../calls')).benchCalls()),
  audit: async () => (await import('../report')).auditSection(await (await import('../audit')).benchAudit()),
  release: async () => (await import('../release')).benchRelease(),
  'kept-stack': async () => {
    const { benchKeptStack, keptStackFlat, keptStackSection } = await import('../kept-stack');
    const run = await benchKeptStack(10);
    // A leak fails the bench, not only its table.
    if (!keptStackFlat(run)) throw new Error(keptStackSection(run).join('\n'));
    return keptStackSection(run);
  },
  traffic: async () => {
    const { benchTraffic, trafficSection } = await import('../traffic');
    return trafficSection(await benchTraffic());
  },
  property: async () => {
    process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';
    const { runs, ms } = await (await import('../property')).benchProperty(10_000);
    return [
      '## Property: random interleavings with every invariant checked',
      '',
      `${runs.toLocaleString('en')} random interleavings of uploads, pushes, duplicate and reordered deliveries,`,
      'finishes with random per-target results, approvals and expiries, through the real handlers in an',
      `in-memory world (the test suite runs 1,000): ${(ms / 1000).toFixed(1)} s, ${((ms / runs) * 1000).toFixed(0)} µs`,
      'per interleaving, no invariant broken.',
    ];
  },
} satisfies Record<string, () => Promise<unknown>>;

export type PartName = keyof typeof parts;

const isPart = (name: string | undefined): name is PartName => Boolean(name && Object.hasOwn(parts, name));

/** Forks this file for `name`; resolves with what the part sent back. */
export const runPart = (name: PartName): Promise<unknown> =>
  new Promise((resolve, reject) => {
    const child = fork(__filename, [name], {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 2, 'inherit', 'ipc'],
      env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    });
    let answer: { ok: boolean; value?: unknown; error?: string } | undefined;
    child.on('message', (m: unknown) => {
      const ok = typeof m === 'object' && m !== null && 'ok' in m && m.ok === true;
      const value = typeof m === 'object' && m !== null && 'value' in m ? m.value : undefined;
      const error = typeof m === 'object' && m !== null && 'error' in m ? String(m.error) : 'no error text';
      answer = { ok, value, error };
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      if (answer?.ok) resolve(answer.value);
      else reject(new Error(`bench part ${name} failed (exit ${code}): ${answer?.error ?? 'no answer'}`));
    });
  });

if (require.main === module) {
  const name = process.argv[2];
  const done = (message: object, code: number) => process.send?.(message, () => process.exit(code));
  if (!isPart(name)) done({ ok: false, error: `unknown part ${name}` }, 2);
  else
    parts[name]()
      .then((value) => done({ ok: true, value }, 0))
      .catch((error: unknown) =>
        done(
          { ok: false, error: error instanceof Error ? (error.stack ?? error.message) : String(error) },
          1,
        ),
      );
}
