// The zero-downtime example (examples/zero-downtime) deployed twice through the local CodeDeploy, as CI
// builds it: each deployment gets its release folder with its secrets, current ends on the second,
// and the kit's rollback.sh on the instance takes it back to the first.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildArtifact } from '../../local/artifact';
import { startLoadLoop } from '../../local/load-loop';
import { startWebServer } from '../../local/web-server';
import { runScript, standIn } from '../support/hook';
import { EXAMPLE, fakeCommand, liveRelease, secretsReply } from '../support/kit';
import { deployAndWait, provision, type Stack, startStack } from '../support/local-codedeploy-fixtures';

let work: string;
let stack: Stack;
let broker: Awaited<ReturnType<typeof standIn>>;
const path = () => `${join(work, 'bin')}:${process.env.PATH}`;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'baton-kit-local-'));
  // The instances have no systemd: a stand-in of systemctl records what the kit asks of it.
  fakeCommand(join(work, 'bin'), 'systemctl', `echo "$*" >> '${join(work, 'systemctl.log')}'`);
  broker = await standIn((req) => secretsReply(req.body));
  stack = await startStack({
    extraHookEnv: { BATON_SECRETS_URL: `${broker.url}/`, AWS_REGION: 'us-east-1', PATH: path() },
  });
});

afterAll(async () => {
  await stack.stop();
  await broker.close();
  rmSync(work, { recursive: true, force: true });
});

const lifecycle = (target: { lifecycleEvents?: { lifecycleEventName?: string; status?: string }[] }) =>
  (target.lifecycleEvents ?? []).map((e) => `${e.lifecycleEventName}:${e.status}`);

describe('the zero-downtime example through the local CodeDeploy', () => {
  it('deploys twice into releases/<id>, current on the second, and rolls back to the first', async () => {
    await provision(stack, 'zero-downtime', 'zd-staging', 1);
    const app = join(work, 'app');
    cpSync(EXAMPLE, app, { recursive: true });
    const first = await deployAndWait(stack, 'zero-downtime', 'zd-staging', buildArtifact(app).zip);
    writeFileSync(join(app, 'app', 'index.html'), '<h1>second</h1>\n');
    const second = await deployAndWait(stack, 'zero-downtime', 'zd-staging', buildArtifact(app).zip);

    expect([first.status, second.status]).toEqual(['Succeeded', 'Succeeded']);
    const [instance] = stack.standIn.instances('zero-downtime', 'zd-staging');
    const appRoot = join(instance?.root ?? '', 'srv', 'zero-downtime');
    expect(liveRelease(appRoot)).toBe(`releases/${second.deploymentId}`);
    expect(readFileSync(join(appRoot, 'current', 'index.html'), 'utf8')).toBe('<h1>second</h1>\n');
    for (const { deploymentId } of [first, second]) {
      expect(readFileSync(join(appRoot, 'releases', deploymentId, '.env'), 'utf8')).toContain(
        `DEPLOYMENT=${deploymentId}\n`,
      );
    }
    expect(broker.received.map((r) => r.headers['x-baton-local-instance'])).toEqual([
      instance?.id,
      instance?.id,
    ]);
    const events = second.targets[0] ?? {};
    expect(lifecycle(events)).toEqual([
      'ApplicationStop:Succeeded',
      'DownloadBundle:Succeeded',
      'BeforeInstall:Succeeded',
      'Install:Succeeded',
      'AfterInstall:Succeeded',
      'ApplicationStart:Succeeded',
      'ValidateService:Succeeded',
    ]);
    // The second deployment's ApplicationStop ran the kit's stop.sh from the first revision.
    const stop = events.lifecycleEvents?.find((e) => e.lifecycleEventName === 'ApplicationStop');
    expect(stop?.diagnostics?.logTail).toContain(
      'Script - scripts/kit/stop.sh\n[stdout]baton-kit: nothing to stop',
    );

    const rollback = await runScript([join(appRoot, 'current', '.baton-kit', 'rollback.sh')], {
      PATH: path(),
    });

    expect(rollback).toMatchObject({ code: 0, stderr: '' });
    expect(liveRelease(appRoot)).toBe(`releases/${first.deploymentId}`);
    expect(readFileSync(join(appRoot, 'current', 'index.html'), 'utf8')).toContain('zero-downtime');
    // kit.conf names nginx: reloaded at each switch and at the rollback, never restarted.
    expect(readFileSync(join(work, 'systemctl.log'), 'utf8')).toBe('reload nginx\n'.repeat(3));
  });

  it('serves every request through the load balancer while it deploys, and while it rolls back', async () => {
    await provision(stack, 'zero-downtime', 'zd-production', 1);
    const app = join(work, 'app-production');
    cpSync(EXAMPLE, app, { recursive: true });
    const first = await deployAndWait(stack, 'zero-downtime', 'zd-production', buildArtifact(app).zip);
    const [instance] = stack.standIn.instances('zero-downtime', 'zd-production');
    const appRoot = join(instance?.root ?? '', 'srv', 'zero-downtime');
    // As nginx would: a server that is never stopped serves current; the group has no traffic
    // control, so the instance stays behind the load balancer throughout.
    const server = await startWebServer({ port: instance?.port ?? 0, root: join(appRoot, 'current') });
    try {
      const balancer = await stack.standIn.loadBalancer('zero-downtime', 'zd-production');
      await balancer.register(instance?.id ?? '', instance?.port ?? 0);
      const load = startLoadLoop({ url: balancer.url, concurrency: 4 });
      writeFileSync(join(app, 'app', 'index.html'), '<h1>second</h1>\n');
      const second = await deployAndWait(stack, 'zero-downtime', 'zd-production', buildArtifact(app).zip);
      const onSecond = await (await fetch(balancer.url)).text();
      const rollback = await runScript([join(appRoot, 'current', '.baton-kit', 'rollback.sh')], {
        PATH: path(),
      });
      await new Promise((resolve) => setTimeout(resolve, 200));
      const report = await load.stop();

      expect(second.status).toBe('Succeeded');
      expect(onSecond).toBe('<h1>second</h1>\n');
      expect(rollback.code).toBe(0);
      expect(liveRelease(appRoot)).toBe(`releases/${first.deploymentId}`);
      expect(await (await fetch(balancer.url)).text()).toContain('zero-downtime');
      expect(report.failures).toEqual({});
      expect(report.sent).toBeGreaterThan(50);
    } finally {
      await server.stop();
    }
  });
});
