// `npm start`: a sample release on the embedded default (moto + local CodeDeploy), through the real
// functions, with a timeline as it goes. Exits non-zero if anything unexpected happened.

import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { unzipSync } from 'fflate';
import { type BuiltArtifact, buildArtifact } from './artifact';
import type { HookFailure, LifecycleEventName } from './codedeploy';
import { startLocalStack } from './stack';
import { describeTargets, readDeployment } from './targets';
import { Timeline } from './timeline';

const HELP = `usage: npm start -- [options]
  --app DIR             an application folder with appspec.yml at its root (default: sample-app/)
  --artifact FILE.zip   a ready artifact instead (appspec.yml inside)
  --instances N         local instances per deployment group (default 3)
  --fail ENV:N:HOOK     make instance N (1-based) of ENV fail HOOK, e.g. dev:2:ValidateService (repeatable)
  --deployment-config C CodeDeploy deployment configuration of every group (default CodeDeployDefault.AllAtOnce)
  --config FILE         pipeline configuration (default pipeline.yml)
  --help`;

const HOOKS = ['ApplicationStop', 'BeforeInstall', 'AfterInstall', 'ApplicationStart', 'ValidateService'];

const parseFailure = (
  spec: string,
  groupOf: (env: string) => string | undefined,
): HookFailure & { env: string } => {
  const [env = '', n = '', hook = ''] = spec.split(':');
  const group = groupOf(env);
  const index = Number(n) - 1;
  if (!group) throw new Error(`--fail ${spec}: unknown environment "${env}"`);
  if (!Number.isInteger(index) || index < 0) throw new Error(`--fail ${spec}: N must be 1 or more`);
  if (!HOOKS.includes(hook)) throw new Error(`--fail ${spec}: HOOK must be one of ${HOOKS.join(', ')}`);
  return { env, group, instanceIndex: index, hook: hook as LifecycleEventName };
};

const loadArtifact = (file: string): BuiltArtifact => {
  const zip = new Uint8Array(readFileSync(file));
  if (!unzipSync(zip)['appspec.yml']) throw new Error(`${file} has no appspec.yml at its root`);
  const commit = require('node:crypto').createHash('sha1').update(zip).digest('hex');
  return { zip, commit, files: [] };
};

const main = async (): Promise<number> => {
  const { values } = parseArgs({
    options: {
      app: { type: 'string' },
      artifact: { type: 'string' },
      instances: { type: 'string', default: '3' },
      fail: { type: 'string', multiple: true, default: [] },
      'deployment-config': { type: 'string' },
      config: { type: 'string' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  const t = new Timeline();
  const problems: string[] = [];
  const stack = await startLocalStack({
    instances: Number(values.instances),
    ...(values.config ? { pipelinePath: resolve(values.config) } : {}),
    ...(values['deployment-config'] ? { deploymentConfig: values['deployment-config'] } : {}),
  });
  try {
    t.note('stack up', `moto ${stack.moto.endpoint}, local CodeDeploy ${stack.codedeploy.endpoint}`);
    const [appName, app] = Object.entries(stack.pipeline.applications)[0] ?? [];
    if (!appName || !app) throw new Error('the pipeline configuration has no application');
    const groupOf = (env: string) => app.environments.find((e) => e.name === env)?.deploymentGroup;
    const failures = (values.fail ?? []).map((f) => parseFailure(f, groupOf));
    for (const f of failures) stack.codedeploy.failHook({ ...f, application: app.codedeployApplication });

    const artifact = values.artifact
      ? loadArtifact(resolve(values.artifact))
      : buildArtifact(resolve(values.app ?? join(__dirname, '..', 'sample-app')));
    const dev = app.environments.find((e) => typeof e.enter === 'object');
    const branch = dev && typeof dev.enter === 'object' ? dev.enter.branch : 'main';
    const key = `${stack.pipeline.artifactPrefix}${appName}/${artifact.commit}.zip`;
    await stack.clients.s3.send(
      new PutObjectCommand({
        Bucket: stack.bucket,
        Key: key,
        Body: artifact.zip,
        Metadata: { branch, commit: artifact.commit },
      }),
    );
    t.note('artifact uploaded', `s3://${stack.bucket}/${key} (branch ${branch})`);

    await stack.pollS3();
    await stack.router.settle();
    const delivered = stack.router.deliveries.find((d) => d.route === 'artifact-uploaded');
    const result = delivered?.result as
      | { results?: { deployments?: Record<string, { deploymentId?: string }> }[] }
      | undefined;
    const deployments = result?.results?.[0]?.deployments ?? {};
    if (delivered?.error) problems.push(`artifact-uploaded failed: ${delivered.error}`);
    for (const [env, outcome] of Object.entries(deployments)) {
      const deploymentId = outcome.deploymentId;
      if (!deploymentId) {
        problems.push(`${env}: no deployment started`);
        continue;
      }
      t.note(`deployment started`, `${env}: ${deploymentId}`);
      const status = await stack.codedeploy.waitForDeployment(deploymentId, 120_000);
      const read = await readDeployment(stack.clients.codedeploy, deploymentId);
      t.note(`deployment finished`, `${env}: CodeDeploy says ${status}`);
      for (const line of describeTargets(read.targets)) console.log(line);
      const expectFailures = failures.filter((f) => f.env === env).length;
      const failed = read.targets.filter((x) => x.instanceTarget?.status === 'Failed').length;
      if (failed !== expectFailures)
        problems.push(`${env}: ${failed} instance(s) failed, expected ${expectFailures}`);
    }
    if (Object.keys(deployments).length === 0) problems.push('the artifact started no deployment');
    await stack.router.settle();
  } finally {
    await stack.stop();
  }
  t.note(problems.length ? 'UNEXPECTED' : 'done', problems.join('; ') || `in ${t.elapsed().toFixed(1)} s`);
  return problems.length ? 1 : 0;
};

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(2);
  },
);
