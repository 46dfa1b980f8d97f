// Operator command `deploy`: put a recorded artifact into an environment by hand.

import * as z from 'zod/mini';
import { readArtifactKey } from '../artifacts/rules/artifact';
import { ValidationError } from '../core/rules/errors';
import * as fields from '../core/rules/fields';
import { requestDeployment } from '../deployments/deployments';
import type { ArtifactRecord } from '../ledger/records';
import { type Environment, findApplication, findEnvironment } from '../pipeline/rules/config';
import type { PromotionDeps } from '../releases/promotion';
import { artifactRefOf } from '../releases/records';
import { forceRelease } from '../releases/release-actions';
import { isGated } from '../releases/rules/promotion';
import { artifactOfCommit } from './commits';
import { forceArtifact, GateRefusedError, gateRule, releaseThrough } from './gate';
import { allReleases, promote } from './promote';

type DeployCommand = z.output<typeof deploySchema>;

/**
 * A gated environment is entered by the release that brings the commit there, through its gates
 * (promote), or by force with a reason. A commit no release brings there is refused, with the rule.
 */
const gatedDeploy = async (
  deps: PromotionDeps,
  cmd: DeployCommand,
  env: Environment,
  artifact: ArtifactRecord,
  by: string,
) => {
  const app = findApplication(deps.pipeline, cmd.application);
  const release = releaseThrough(app, await allReleases(deps, cmd.application), artifact.commit, env.name);
  const target = { application: cmd.application, environment: env.name, by, reason: cmd.reason ?? '' };
  if (cmd.force && release) {
    const advance = await forceRelease(deps, { ...target, release: release.tag });
    return { release: release.tag, forced: true, next: advance?.next, result: advance?.result };
  }
  if (cmd.force) return { forced: true, result: await forceArtifact(deps, { ...target, artifact }) };
  if (!release) {
    const previous = app.environments[app.environments.findIndex((e) => e.name === env.name) - 1];
    const rule = gateRule(env, previous);
    throw new GateRefusedError(
      rule.code,
      `cannot deploy commit ${artifact.commit.slice(0, 12)} to ${env.name}: ${rule.text}; no release of it goes there. To skip the gate, use force with a reason.`,
    );
  }
  return promote(
    deps,
    {
      command: 'promote',
      application: cmd.application,
      release: release.tag,
      environment: env.name,
      force: false,
    },
    by,
  );
};

export const deploySchema = z
  .strictObject({
    command: z.literal('deploy'),
    application: fields.name,
    environment: fields.name,
    commit: z.optional(fields.commit),
    artifactKey: z.optional(fields.text(1024)),
    force: z._default(z.boolean(), false),
    reason: z.optional(fields.text(500)),
  })
  .check(
    z.refine((c) => Boolean(c.commit) !== Boolean(c.artifactKey), {
      message: 'give exactly one of commit or artifactKey',
      path: ['commit'],
    }),
    z.refine((c) => !c.force || Boolean(c.reason?.trim()), {
      message: 'required when force is true (it is recorded and announced)',
      path: ['reason'],
    }),
  );

/** `by`: who asked, as the operator request proved it (actor.ts). */
export const deploy = async (deps: PromotionDeps, cmd: z.output<typeof deploySchema>, by: string) => {
  const env = findEnvironment(deps.pipeline, cmd.application, cmd.environment);
  let commit = cmd.commit;
  if (cmd.artifactKey) {
    const reading = readArtifactKey(deps.pipeline, cmd.artifactKey);
    if (!reading.ok) throw new ValidationError([`artifactKey: ${reading.reason}`]);
    if (reading.application !== cmd.application)
      throw new ValidationError([`artifactKey: belongs to application ${reading.application}`]);
    commit = reading.commit;
  }
  findApplication(deps.pipeline, cmd.application);
  const a = await artifactOfCommit(deps, cmd.application, commit ?? '');
  if (isGated(env)) return gatedDeploy(deps, cmd, env, a, by);
  return requestDeployment(deps, {
    application: cmd.application,
    environment: cmd.environment,
    artifact: artifactRefOf(a),
    cause: { type: 'operator', detail: `operator ${by}` },
    dedupeKey: `operator:${a.commit}:${deps.clock.now().toISOString()}`,
  });
};
