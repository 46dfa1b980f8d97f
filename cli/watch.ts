// `baton watch`: asks the operator's `watch` again and again, printing what changed since the last
// look (CodeDeploy's status, each lifecycle event as it completes, a failing hook's script, message and
// log tail the moment it fails), until the answer is final. Exit 0 only on VERIFIED (or a release done),
// so a script can wait on it.
import * as z from 'zod/mini';
import { passesGate, VERDICTS } from '../shared/audit/rules/gate';
import type { Invocation } from './args';
import { EXIT } from './errors';
import { type Io, showAnswer } from './output';
import type { Answer } from './targets/answer';
import { when } from './views/table';

const failedSchema = z.looseObject({
  event: z.string(),
  errorCode: z.optional(z.string()),
  scriptName: z.optional(z.string()),
  message: z.optional(z.string()),
  logTail: z.optional(z.string()),
});

export const watchedSchema = z.looseObject({
  deploymentId: z.optional(z.string()),
  application: z.optional(z.string()),
  environment: z.optional(z.string()),
  release: z.optional(z.string()),
  next: z.optional(z.string()),
  releaseStep: z.optional(z.string()),
  status: z.optional(z.string()),
  targets: z.optional(
    z.array(
      z.looseObject({
        id: z.string(),
        status: z.string(),
        events: z.array(z.looseObject({ name: z.string(), status: z.string() })),
        failed: z.optional(failedSchema),
      }),
    ),
  ),
  verdict: z.optional(z.enum(VERDICTS)),
  reasons: z.optional(z.array(z.string())),
  bake: z.optional(z.looseObject({ state: z.string(), until: z.string() })),
  final: z.boolean(),
});

type Watched = z.output<typeof watchedSchema>;

const DONE = new Set(['Succeeded', 'Failed', 'Skipped']);
const LOG_LINES = 20;

/** What a look shows that the looks before it did not, as lines; `seen` remembers what was printed. */
export const newLines = (w: Watched, seen: Set<string>, now: Date): string[] => {
  const out: string[] = [];
  const once = (key: string, ...lines: string[]) => {
    if (seen.has(key)) return;
    seen.add(key);
    out.push(...lines);
  };
  const id = w.deploymentId;
  if (id) {
    const where = [w.application, w.environment, w.release].filter(Boolean).join(' ');
    once(`watch:${id}`, `Watching ${id}${where ? ` (${where})` : ''}`);
    if (w.status) once(`status:${id}:${w.status}`, `${when(now.toISOString())}  ${id}: ${w.status}`);
    for (const t of w.targets ?? []) {
      for (const e of t.events)
        if (DONE.has(e.status)) once(`event:${id}:${t.id}:${e.name}`, `  ${t.id}  ${e.name}  ${e.status}`);
      const f = t.failed;
      if (f)
        once(
          `failed:${id}:${t.id}`,
          `  ${t.id}  ${f.event} failed${f.errorCode ? ` (${f.errorCode})` : ''}${f.scriptName ? `: ${f.scriptName}` : ''}${f.message ? `: ${f.message}` : ''}`,
          ...(f.logTail ?? '')
            .trimEnd()
            .split('\n')
            .filter((l) => l !== '')
            .slice(-LOG_LINES)
            .map((l) => `      | ${l}`),
        );
    }
    if (w.verdict)
      once(
        `verdict:${id}:${w.verdict}`,
        `Verdict of ${id}: ${w.verdict}`,
        ...(w.reasons ?? []).map((r) => `  - ${r}`),
      );
    if (w.bake) once(`bake:${id}:${w.bake.state}`, `Bake of ${id}: ${w.bake.state} (until ${w.bake.until})`);
  }
  if (w.release && w.next) once(`next:${w.release}:${w.next}`, `${w.release}: ${w.next}`);
  return out;
};

/** The exit code of a final look: 0 on VERIFIED (its bake passed, where it bakes), or for a release done everywhere. */
export const watchExit = (w: Watched): number =>
  (passesGate(w.verdict) && (w.bake === undefined || w.bake.state === 'passed')) ||
  (!w.deploymentId && w.releaseStep === 'done')
    ? EXIT.ok
    : EXIT.refused;

export const watchLoop = async (
  ask: () => Promise<Answer>,
  invocation: Extract<Invocation, { mode: 'run' }>,
  io: Io,
  sleep: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
): Promise<number> => {
  // A value that is not a positive number would ask again at once, calling AWS each time.
  const asked = Number(io.env.BATON_WATCH_INTERVAL_MS ?? 3000);
  const interval = Number.isFinite(asked) && asked > 0 ? asked : 3000;
  const seen = new Set<string>();
  for (;;) {
    const answer = await ask();
    if (!answer.ok) return showAnswer(answer, invocation, io);
    const parsed = watchedSchema.safeParse(answer.result);
    if (!parsed.success) return showAnswer(answer, invocation, io);
    const w = parsed.data;
    if (!invocation.json) {
      const lines = newLines(w, seen, io.now());
      if (lines.length) io.out(`${lines.join('\n')}\n`);
    }
    if (w.final) {
      if (invocation.json) io.out(`${JSON.stringify(w, null, 2)}\n`);
      return watchExit(w);
    }
    await sleep(interval);
  }
};
