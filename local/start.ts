// `npm start`: a sample release on the embedded default (moto + local CodeDeploy) through the real
// functions, with a timeline as it goes and a table at the end. Exits non-zero if anything unexpected
// happened (a verdict other than expected, a step that never came).
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { unzipSync } from 'fflate';
import { type BuiltArtifact, buildArtifact } from './artifact';
import { runBakeScenario, writeBakeConfig } from './bake-scenario';
import { runBlueGreenScenario } from './blue-green-scenario';
import type { FleetEvent, HookFailure } from './codedeploy';
import { runEcsScenario } from './ecs-scenario';
import { parseFailure } from './failures';
import { githubSource } from './github-deliveries';
import { runReleaseScenario } from './release-scenario';
import { checkSecretsFile, loadSecrets } from './secrets-file';
import { startLocalStack } from './stack';
import { writeStackFile } from './stack-file';
import { summaryTable } from './summary';
import { Timeline } from './timeline';

const HELP = `usage: npm start -- [options]
  --scenario S           release (default): the sample release below; blue-green: two releases, the
                         second replacing production's blue/green fleet with one replacement instance
                         failing ValidateService, under a load loop on production's load balancer; ecs:
                         the sample ECS service (examples/ecs.yml), its AfterAllowTraffic hook failing in production
                         (no --app, --artifact, --instances, --deployment-config, --fail, --no-failure);
                         bake: staging bakes 1 min on a CloudWatch alarm that fires during the bake,
                         so the release is blocked there and the alert names the alarm
  --auto-approve         decide the approval through the page's form POST instead of waiting for you
  --release TAG          the release tag to push (default v1.0.0)
  --source S             codecommit (default): pushes as CodeCommit events; github: as signed GitHub
                         deliveries POSTed to the github-webhook function URL
  --fail ENV:N:HOOK      make instance N (1-based) of ENV fail HOOK (repeatable; not with blue-green);
                         default production:2:ValidateService, the partial success Baton must catch
  --no-failure           inject no failure: every environment should be VERIFIED
  --instances N          local instances per deployment group (default 3)
  --app DIR              your own application folder (appspec.yml at its root) instead of sample-app/
  --artifact FILE.zip    your own ready artifact instead (appspec.yml inside)
  --deployment-config C  CodeDeploy deployment configuration of every group (default CodeDeployDefault.AllAtOnce)
  --config FILE          pipeline configuration (default pipeline.yml)
  --secrets FILE.json    the secrets the stack creates in Secrets Manager, by secret id (default
                         local/sample-secrets.json): each an object (a JSON secret) or a string
  --work-dir DIR         where the local instances live (default a new temporary folder); an instance's
                         root is DIR/instances/<instance id>/root, kept after the run
  --keep                 keep the stack running afterwards (Ctrl-C stops it)
  --stack-file FILE      where the running stack is described for the baton CLI (default .local/stack.json),
                         written as soon as the stack is up and removed when it stops
  --help`;

const FLEET_STEPS: Record<FleetEvent['kind'], string> = {
  'green-fleet-provisioned': 'green fleet provisioned',
  'traffic-allowed': 'traffic shifted to green',
  'traffic-blocked': 'blue fleet blocked',
  'originals-waiting': 'blue fleet waiting',
  'originals-terminated': 'blue fleet terminated',
  'originals-kept': 'blue fleet kept',
  'replacements-terminated': 'green fleet terminated',
  'traffic-shifted': 'traffic shifted',
};

const loadArtifact = (file: string): BuiltArtifact => {
  const zip = new Uint8Array(readFileSync(file));
  if (!unzipSync(zip)['appspec.yml']) throw new Error(`${file} has no appspec.yml at its root`);
  return { zip, commit: createHash('sha1').update(zip).digest('hex'), files: [] };
};

const main = async (): Promise<number> => {
  const { values } = parseArgs({
    options: {
      scenario: { type: 'string', default: 'release' },
      'auto-approve': { type: 'boolean', default: false },
      release: { type: 'string', default: 'v1.0.0' },
      source: { type: 'string', default: 'codecommit' },
      fail: { type: 'string', multiple: true },
      'no-failure': { type: 'boolean', default: false },
      instances: { type: 'string' },
      app: { type: 'string' },
      artifact: { type: 'string' },
      'deployment-config': { type: 'string' },
      config: { type: 'string' },
      secrets: { type: 'string' },
      keep: { type: 'boolean', default: false },
      'stack-file': { type: 'string' },
      'work-dir': { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  const instances = Number(values.instances ?? '3');
  if (!Number.isInteger(instances) || instances < 1 || instances > 50)
    throw new Error('--instances must be 1 to 50');
  if (values.source !== 'codecommit' && values.source !== 'github')
    throw new Error('--source must be codecommit or github');
  if (!['release', 'blue-green', 'ecs', 'bake'].includes(values.scenario))
    throw new Error('--scenario must be release, blue-green, ecs or bake');
  const blueGreen = values.scenario === 'blue-green';
  const ecs = values.scenario === 'ecs';
  const bake = values.scenario === 'bake';
  if ((blueGreen || ecs) && (values.fail || values['no-failure'] || values.artifact))
    throw new Error(
      `--scenario ${values.scenario} chooses its own failure and builds its releases: no --fail, --no-failure or --artifact`,
    );
  // The ECS service has no instances, no appspec of an application folder and no EC2/On-Premises config.
  const ignoredByEcs = (['app', 'instances', 'deployment-config'] as const).filter(
    (f) => values[f] !== undefined,
  );
  if (ecs && ignoredByEcs.length)
    throw new Error(
      `--scenario ecs deploys its own ECS service (examples/ecs.yml): no ${ignoredByEcs.map((f) => `--${f}`).join(', ')}`,
    );
  const secrets = values.secrets ? loadSecrets(resolve(values.secrets)) : undefined;
  if (bake && (values.fail || values['no-failure']))
    throw new Error('--scenario bake chooses its own failure (an alarm): no --fail or --no-failure');
  const configPath = values.config
    ? resolve(values.config)
    : ecs
      ? join(__dirname, '..', 'examples', 'ecs.yml')
      : undefined;
  const pipelinePath = bake
    ? writeBakeConfig(
        readFileSync(configPath ?? join(__dirname, '..', 'pipeline.yml'), 'utf8'),
        mkdtempSync(join(tmpdir(), 'baton-bake-')),
      )
    : configPath;
  const t = new Timeline();
  const stack = await startLocalStack({
    ...(secrets ? { secrets } : {}),
    ...(values['work-dir'] ? { workDir: resolve(values['work-dir']) } : {}),
    instances,
    onFleetEvent: (e) => t.note(FLEET_STEPS[e.kind], `${e.instanceIds.join(' ')}: ${e.detail}`),
    ...(pipelinePath ? { pipelinePath } : {}),
    ...(values['deployment-config'] ? { deploymentConfig: values['deployment-config'] } : {}),
  });
  let code = 1;
  // Written now, so that the baton CLI reaches the stack while a release waits (for an approval, say).
  const stackFile = writeStackFile(stack, values['stack-file'] ? resolve(values['stack-file']) : undefined);
  const interrupted = () => {
    rmSync(stackFile, { force: true });
    void stack.stop().finally(() => process.exit(130));
  };
  if (!values.keep) process.once('SIGINT', interrupted);
  try {
    t.note('stack up', `moto ${stack.moto.endpoint}, local CodeDeploy ${stack.codedeploy.endpoint}`);
    t.note('board', `${stack.boardUrl} (the release board; it refreshes itself)`);
    t.note('stack file', `${stackFile} (the baton CLI's local target while this runs)`);
    t.note('instances', `each instance's root is ${join(stack.workDir, 'instances')}/<instance id>/root`);
    const [appName, app] = Object.entries(stack.pipeline.applications)[0] ?? [];
    if (!appName || !app) throw new Error('the pipeline configuration has no application');
    if (secrets && values.secrets) checkSecretsFile(values.secrets, secrets, stack.pipeline);
    for (const e of app.environments.filter((x) => instances < x.audit.minimumTargets))
      t.note(
        'note',
        `${e.name} expects at least ${e.audit.minimumTargets} targets: with ${instances} its verdict is PARTIAL`,
      );
    const appDir = resolve(values.app ?? join(__dirname, '..', 'sample-app'));
    const github = values.source === 'github' ? await githubSource(stack) : undefined;
    if (github) t.note('source', `GitHub deliveries of ${app.github[0]} to ${stack.githubUrl}`);
    const push = github ? { push: github.push } : {};
    const releaseScenario = () => {
      const specs = values['no-failure'] ? [] : (values.fail ?? ['production:2:ValidateService']);
      const failures = specs.map((s) => parseFailure(s, app, instances));
      for (const f of failures)
        stack.codedeploy.failHook({ ...f, application: app.codedeployApplication } satisfies HookFailure);
      const artifact = values.artifact ? loadArtifact(resolve(values.artifact)) : buildArtifact(appDir);
      return runReleaseScenario(stack, t, {
        artifact,
        release: values.release,
        ...push,
        autoApprove: values['auto-approve'],
        // An environment fails its audit when an instance fails, or when it has fewer instances than
        // its audit.minimumTargets: both are what Baton must catch.
        failingEnvironments: new Set([
          ...failures.map((f) => f.env),
          ...app.environments.filter((e) => instances < e.audit.minimumTargets).map((e) => e.name),
        ]),
      });
    };
    const bakeScenario = () =>
      runBakeScenario(stack, t, {
        artifact: values.artifact ? loadArtifact(resolve(values.artifact)) : buildArtifact(appDir),
        release: values.release,
        ...push,
      });
    const result = blueGreen
      ? await runBlueGreenScenario(stack, t, { appDir, autoApprove: values['auto-approve'], ...push })
      : ecs
        ? await runEcsScenario(stack, t, {
            autoApprove: values['auto-approve'],
            release: values.release,
            ...push,
          })
        : bake
          ? await bakeScenario()
          : await releaseScenario();
    await stack.router.settle();
    console.log('');
    for (const line of await summaryTable(stack, appName, result.outcomes)) console.log(line);
    console.log('');
    // A rejection is a person's answer, not a fault; the release still did not get in: exit code 1.
    code = result.problems.length || result.closedApproval ? 1 : 0;
    if (result.problems.length) t.note('UNEXPECTED', result.problems.join('; '));
    else if (result.closedApproval) t.note('not released', result.closedApproval);
    else t.note('done', `as expected, in ${t.elapsed().toFixed(1)} s`);
    if (values.keep) {
      t.note(
        'stack kept running',
        `${stackFile}; try: npx baton status --application ${appName} (Ctrl-C to stop)`,
      );
      await new Promise<void>((done) => process.once('SIGINT', () => done()));
    }
  } finally {
    process.removeListener('SIGINT', interrupted);
    rmSync(stackFile, { force: true });
    await stack.stop();
  }
  return code;
};

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(2);
  },
);
