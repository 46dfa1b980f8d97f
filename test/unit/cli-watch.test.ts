// `baton watch`: the operator asked again until a final answer, each look printing only what is new;
// exit 0 only on VERIFIED, so a script can wait on it.
import { describe, expect, it } from 'vitest';
import { parseArgs } from '../../cli/args';
import type { Io } from '../../cli/output';
import type { Answer } from '../../cli/targets/answer';
import { watchLoop } from '../../cli/watch';

const NOW = new Date('2026-11-20T18:00:00.000Z');
const invocation = (argv: string[]) => {
  const parsed = parseArgs(argv);
  if (parsed.mode !== 'run') throw new Error('not a command');
  return parsed;
};
const watching = async (looks: Answer[], argv = ['watch', 'd-7Q4BZ2K1X']) => {
  const out: string[] = [];
  const err: string[] = [];
  const io: Io = { out: (t) => out.push(t), err: (t) => err.push(t), env: {}, now: () => NOW };
  let asked = 0;
  const sleeps: number[] = [];
  const code = await watchLoop(
    async () => looks[Math.min(asked++, looks.length - 1)] ?? { ok: false, kind: 'X', error: 'none' },
    invocation(argv),
    io,
    async (ms) => {
      sleeps.push(ms);
    },
  );
  return { code, stdout: out.join(''), stderr: err.join(''), asked, sleeps };
};

const look = (over: Record<string, unknown>): Answer => ({
  ok: true,
  result: {
    deploymentId: 'd-7Q4BZ2K1X',
    application: 'web',
    environment: 'staging',
    status: 'InProgress',
    targets: [],
    final: false,
    ...over,
  },
});
const events = (...statuses: string[]) =>
  ['BeforeInstall', 'AfterInstall', 'ValidateService'].map((name, i) => ({
    name,
    status: statuses[i] ?? 'Pending',
  }));

describe('baton watch', () => {
  it('prints each lifecycle event once as it completes, the failing log tail, then the verdict; exits 1', async () => {
    const { code, stdout, asked, sleeps } = await watching([
      look({ targets: [{ id: 'i-1', status: 'InProgress', events: events('Succeeded') }] }),
      look({ targets: [{ id: 'i-1', status: 'InProgress', events: events('Succeeded', 'Succeeded') }] }),
      look({
        status: 'Failed',
        targets: [
          {
            id: 'i-1',
            status: 'Failed',
            events: events('Succeeded', 'Succeeded', 'Failed'),
            failed: {
              event: 'ValidateService',
              errorCode: 'ScriptFailed',
              scriptName: 'scripts/validate.sh',
              logTail: '[stdout]Checking /health\n[stderr]curl: (7) refused\n',
            },
          },
        ],
      }),
      look({
        status: 'Failed',
        verdict: 'FAILED',
        reasons: ['CodeDeploy reports the deployment Failed'],
        final: true,
      }),
    ]);
    expect(stdout).toBe(
      [
        'Watching d-7Q4BZ2K1X (web staging)',
        '2026-11-20 18:00Z  d-7Q4BZ2K1X: InProgress',
        '  i-1  BeforeInstall  Succeeded',
        '  i-1  AfterInstall  Succeeded',
        '2026-11-20 18:00Z  d-7Q4BZ2K1X: Failed',
        '  i-1  ValidateService  Failed',
        '  i-1  ValidateService failed (ScriptFailed): scripts/validate.sh',
        '      | [stdout]Checking /health',
        '      | [stderr]curl: (7) refused',
        'Verdict of d-7Q4BZ2K1X: FAILED',
        '  - CodeDeploy reports the deployment Failed',
        '',
      ].join('\n'),
    );
    expect(code).toBe(1);
    expect(asked).toBe(4);
    expect(sleeps).toEqual([3000, 3000, 3000]);
  });

  it('exits 0 on VERIFIED, and with --json prints the final look only', async () => {
    const verified = look({ status: 'Succeeded', verdict: 'VERIFIED', final: true });
    expect(await watching([look({}), verified])).toMatchObject({ code: 0 });
    const json = await watching([look({}), verified], ['watch', 'd-7Q4BZ2K1X', '--json']);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({ verdict: 'VERIFIED', final: true });
  });

  it('waits through a bake: exit 0 once it passed, 1 when it is held', async () => {
    const baking = look({ status: 'Succeeded', verdict: 'VERIFIED', bake: { state: 'baking', until: 'T' } });
    const end = (state: string) =>
      look({ status: 'Succeeded', verdict: 'VERIFIED', bake: { state, until: 'T' }, final: true });

    const passed = await watching([baking, end('passed')]);
    const held = await watching([baking, end('held')]);

    expect(passed).toMatchObject({ code: 0, asked: 2 });
    expect(passed.stdout).toContain('Bake of d-7Q4BZ2K1X: baking (until T)');
    expect(passed.stdout).toContain('Bake of d-7Q4BZ2K1X: passed (until T)');
    expect(held.code).toBe(1);
  });

  it('follows a release by its tag, and ends with exit 1 on a refusal', async () => {
    expect(invocation(['watch', 'v1.2.0', '--app', 'web']).event).toEqual({
      command: 'watch',
      release: 'v1.2.0',
      application: 'web',
    });
    expect(invocation(['watch', 'd-7Q4BZ2K1X']).event).toEqual({
      command: 'watch',
      deploymentId: 'd-7Q4BZ2K1X',
    });
    const refused = await watching([{ ok: false, kind: 'NotFoundError', error: 'web has no release v9' }]);
    expect(refused).toMatchObject({
      code: 1,
      stderr: 'baton watch: refused (NotFoundError): web has no release v9\n',
    });
  });
});
