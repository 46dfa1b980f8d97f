// Requests during a release: a bounded load loop on loopback asks a group's local load balancer while
// the local CodeDeploy deploys a second revision, for four cases: in place without the kit (the sample
// web server stopped and started again), in place with the kit (examples/zero-downtime: current
// switched by rename under a server that never stops), blue/green, and blue/green with one failing
// replacement instance. It reports, per case, the requests sent and failed, and p99 and max latency.
// Run: npx tsx bench/traffic.ts
import { join } from 'node:path';
import {
  type CodeDeployClient,
  CreateApplicationCommand,
  CreateDeploymentCommand,
  CreateDeploymentGroupCommand,
} from '@aws-sdk/client-codedeploy';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { buildArtifact } from '../local/artifact';
import { clientsFor, createVersionedBucket } from '../local/clients';
import { type LocalCodeDeploy, startLocalCodeDeploy } from '../local/codedeploy';
import { type LoadReport, startLoadLoop } from '../local/load-loop';
import { startMoto } from '../local/moto';
import { startWebServer, type WebServer } from '../local/web-server';
import { root } from './lib/bundle';

export interface TrafficRow extends LoadReport {
  case: string;
  instances: number;
  status: string;
}

const BUCKET = 'baton-bench-traffic';
const ROLE = 'arn:aws:iam::123456789012:role/baton-bench';
// Baton's secrets hook stands aside: the bench has no secrets URL, so a stand-in writes a .env where
// the hook would (the kit passes BATON_APP_DIR; the sample application reads /srv/web).
const FAKE_SECRETS = [
  '#!/usr/bin/env bash',
  'dir="$BATON_APP_DIR"',
  '[ -n "$dir" ] || dir="$BATON_INSTANCE_ROOT/srv/web"',
  'mkdir -p "$dir" && umask 077 && echo "BENCH=1" > "$dir/.env"',
  '',
].join('\n');

const artifact = (dir: string, release: string) =>
  buildArtifact(dir, '/nonexistent', undefined, {
    'scripts/baton-after-install.sh': FAKE_SECRETS,
    RELEASE: `${release}\n`,
  }).zip;

interface Case {
  name: string;
  application: string;
  instances: number;
  app: string;
  blueGreen: boolean;
  /** 0-based replacement instance that fails ValidateService in the second deployment. */
  failing?: number;
  /** The kit: the server runs outside CodeDeploy and serves `current` (as nginx would). */
  kit?: boolean;
}

const CASES: Case[] = [
  {
    name: 'in place without the kit',
    application: 'inplace',
    instances: 1,
    app: 'sample-app',
    blueGreen: false,
  },
  {
    name: 'in place with the kit',
    application: 'kit',
    instances: 1,
    app: 'examples/zero-downtime',
    blueGreen: false,
    kit: true,
  },
  { name: 'blue/green', application: 'bluegreen', instances: 3, app: 'sample-app', blueGreen: true },
  {
    name: 'blue/green, one replacement failing',
    application: 'failing',
    instances: 3,
    app: 'sample-app',
    blueGreen: true,
    failing: 1,
  },
];

const deploy = async (
  clients: ReturnType<typeof clientsFor>,
  codedeploy: CodeDeployClient,
  standIn: LocalCodeDeploy,
  c: Case,
  release: string,
) => {
  const key = `artifacts/${c.application}/${release}.zip`;
  const put = await clients.s3.send(
    new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: artifact(join(root, c.app), release) }),
  );
  const { deploymentId = '' } = await codedeploy.send(
    new CreateDeploymentCommand({
      applicationName: c.application,
      deploymentGroupName: c.application,
      revision: {
        revisionType: 'S3',
        s3Location: { bucket: BUCKET, key, bundleType: 'zip', eTag: put.ETag, version: put.VersionId },
      },
    }),
  );
  return standIn.waitForDeployment(deploymentId, 120_000);
};

const runCase = async (
  clients: ReturnType<typeof clientsFor>,
  codedeploy: CodeDeployClient,
  standIn: LocalCodeDeploy,
  c: Case,
): Promise<TrafficRow> => {
  await codedeploy.send(new CreateApplicationCommand({ applicationName: c.application }));
  await codedeploy.send(
    new CreateDeploymentGroupCommand({
      applicationName: c.application,
      deploymentGroupName: c.application,
      serviceRoleArn: ROLE,
      deploymentConfigName: 'CodeDeployDefault.AllAtOnce',
      ...(c.blueGreen
        ? {
            deploymentStyle: { deploymentType: 'BLUE_GREEN', deploymentOption: 'WITH_TRAFFIC_CONTROL' },
            blueGreenDeploymentConfiguration: {
              terminateBlueInstancesOnDeploymentSuccess: {
                action: 'TERMINATE',
                terminationWaitTimeInMinutes: 0,
              },
            },
            loadBalancerInfo: { targetGroupInfoList: [{ name: c.application }] },
          }
        : {}),
    }),
  );
  standIn.setInstances(c.application, c.application, c.instances);
  const servers: WebServer[] = [];
  try {
    const first = await deploy(clients, codedeploy, standIn, c, 'first');
    if (first !== 'Succeeded') throw new Error(`${c.name}: the first deployment ${first}`);
    const balancer = await standIn.loadBalancer(c.application, c.application);
    // In place without traffic control the instances stay behind the load balancer all along.
    if (!c.blueGreen)
      for (const instance of standIn.instances(c.application, c.application)) {
        if (c.kit)
          servers.push(
            await startWebServer({
              port: instance.port,
              root: join(instance.root, 'srv', 'zero-downtime', 'current'),
            }),
          );
        await balancer.register(instance.id, instance.port);
      }
    if (c.failing !== undefined)
      standIn.failHook({ group: c.application, instanceIndex: c.failing, hook: 'ValidateService' });
    const load = startLoadLoop({ url: balancer.url, concurrency: 4, maxRequests: 50_000, maxMs: 120_000 });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const status = await deploy(clients, codedeploy, standIn, c, 'second');
    await new Promise((resolve) => setTimeout(resolve, 300));
    const report = await load.stop();
    standIn.clearFailures();
    return { case: c.name, instances: c.instances, status, ...report };
  } finally {
    for (const server of servers) await server.stop();
  }
};

export const benchTraffic = async (): Promise<TrafficRow[]> => {
  const moto = await startMoto();
  const clients = clientsFor(moto.endpoint);
  await createVersionedBucket(clients.s3, BUCKET);
  // The kit reloads nothing: its server reads `current` on every request (as nginx serving files does).
  const standIn = await startLocalCodeDeploy({
    s3: clients.s3,
    extraHookEnv: { BATON_KIT_RELOAD_COMMAND: 'true' },
    minuteMs: 20,
  });
  const codedeploy = clientsFor(moto.endpoint, standIn.endpoint).codedeploy;
  try {
    const rows: TrafficRow[] = [];
    for (const c of CASES) rows.push(await runCase(clients, codedeploy, standIn, c));
    return rows;
  } finally {
    await standIn.stop();
    await moto.stop();
  }
};

export const trafficSection = (rows: TrafficRow[]) => [
  '## Requests during a release',
  '',
  "A load loop (4 clients on loopback, back to back) asks a group's local load balancer while the local",
  'CodeDeploy deploys a second revision (AllAtOnce). In place, the instance stays behind the load',
  'balancer (no traffic control): without the kit the sample web server stops (ApplicationStop) and',
  'starts again (ApplicationStart); with the kit (examples/zero-downtime) a server that never stops',
  'serves `current`, which the kit switches by rename. Blue/green moves traffic to a replacement fleet',
  'and blocks the originals; in the last case one of its three replacements fails ValidateService.',
  '',
  'A failed request comes back at once (502 from the load balancer), so the loop sends many while the',
  'server is down: the longest outage (from the first failed request of a run to the last) says more.',
  '',
  '| case | instances | CodeDeploy says | requests sent | failed | longest outage ms | p99 ms | max ms | failures |',
  '| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | --- |',
  ...rows.map(
    (r) =>
      `| ${r.case} | ${r.instances} | ${r.status} | ${r.sent} | ${r.failed} | ${r.longestOutageMs} | ${r.p99Ms} | ${r.maxMs} | ${
        Object.entries(r.failures)
          .map(([why, n]) => `${why} × ${n}`)
          .join(', ') || 'none'
      } |`,
  ),
];

if (require.main === module) {
  benchTraffic().then((rows) => console.log(trafficSection(rows).join('\n')));
}
