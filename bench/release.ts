// The local end-to-end release's duration, as `npm start -- --auto-approve` and test/e2e/release.test.ts
// run it: push main → artifact → dev → tag → staging → approval through the page → production, where
// one of 3 instances fails its smoke test. One run per process (the functions' SDK clients are module
// singletons bound to one stack's endpoints), so bench/run.ts forks one process per run.
// Run: npx tsx bench/release.ts
import { join } from 'node:path';
import { buildArtifact } from '../local/artifact';
import { runReleaseScenario } from '../local/release-scenario';
import { startLocalStack } from '../local/stack';
import { Timeline } from '../local/timeline';
import { root } from './lib/bundle';

export interface ReleaseRun {
  /** moto, the local CodeDeploy and the provisioning. */
  stackStartS: number;
  /** From the push of main to production's verdict and the release blocked. */
  releaseS: number;
  verdicts: string;
  problems: string[];
}

const seconds = (since: number) => (performance.now() - since) / 1000;

export const benchRelease = async (): Promise<ReleaseRun> => {
  const started = performance.now();
  const stack = await startLocalStack({ instances: 3 });
  try {
    const stackStartS = seconds(started);
    stack.codedeploy.failHook({
      application: 'baton-web',
      group: 'web-production',
      instanceIndex: 1,
      hook: 'ValidateService',
    });
    const artifact = buildArtifact(join(root, 'sample-app'));
    const quiet = () => {};
    const release = performance.now();
    const result = await runReleaseScenario(stack, new Timeline(quiet), {
      artifact,
      release: 'v1.0.0',
      autoApprove: true,
      failingEnvironments: new Set(['production']),
      out: quiet,
    });
    await stack.router.settle();
    return {
      stackStartS,
      releaseS: seconds(release),
      verdicts: result.outcomes.map((o) => `${o.environment} ${o.verdict}`).join(', '),
      problems: result.problems,
    };
  } finally {
    await stack.stop();
  }
};

if (require.main === module) {
  benchRelease().then((run) => console.log(JSON.stringify(run, null, 2)));
}
