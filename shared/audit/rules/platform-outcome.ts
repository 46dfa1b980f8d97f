// What a target of an ECS or Lambda deployment must show besides its Succeeded status: every lifecycle
// event (hook functions included) passed, and production traffic ended on the new revision. CodeDeploy
// can call such a target Succeeded after a hook function reported Failed and the deployment was pushed
// on: that is not a release Baton lets through. For Lambda, the alias itself is asked too (GetAlias):
// one moved back out of band, or left with weighted routing, did not deliver whatever CodeDeploy says.
import { weightedRouting } from '../../deployments/rules/lambda-alias';
import type { AliasNow, AliasShift, Target } from './evidence';

// A hook that is not configured is reported Skipped; anything but these two did not pass.
const PASSED = new Set(['Succeeded', 'Skipped']);
/** trafficWeight and targetVersionWeight are percentages (the CodeDeploy API model's TrafficWeight). */
const ALL_TRAFFIC = 100;

const eventShortfall = (t: Target): string | undefined => {
  const e = t.events.find((s) => !PASSED.has(s.status));
  return e && `lifecycle event ${e.name} ${e.status}`;
};

const ecsShortfall = (t: Target): string | undefined => {
  const green = t.taskSets?.find((s) => s.label === 'Green');
  if (!green) return 'no replacement (Green) task set is reported';
  if (green.trafficWeight !== ALL_TRAFFIC)
    return `the replacement (Green) task set serves ${green.trafficWeight ?? 'an unknown share'}% of traffic, not ${ALL_TRAFFIC}%`;
  return undefined;
};

const lambdaShortfall = (t: Target): string | undefined => {
  const a = t.alias;
  if (!a?.targetVersion) return 'the alias’s target version is not reported';
  const name = `alias ${a.functionName ?? '?'}:${a.alias ?? '?'}`;
  if (a.currentVersion === a.targetVersion || a.targetVersionWeight === ALL_TRAFFIC) return undefined;
  return `${name} gives version ${a.targetVersion} ${a.targetVersionWeight ?? 'an unknown share'}% of traffic and still points to version ${a.currentVersion ?? '?'}`;
};

/** GetAlias after the deployment: the environment's alias serves CodeDeploy's target version, alone. */
const aliasNowShortfall = (a: AliasShift, now: AliasNow | undefined): string | undefined => {
  // Without the read the verdict is INCOMPLETE (verdict.ts), not a shortfall of the target.
  if (!now) return undefined;
  const name = `alias ${now.functionName}:${now.alias}`;
  if (a.functionName !== now.functionName || a.alias !== now.alias)
    return `GetAlias: CodeDeploy shifted alias ${a.functionName ?? '?'}:${a.alias ?? '?'}, not the environment's ${name}`;
  if (now.functionVersion !== a.targetVersion)
    return `GetAlias: ${name} serves version ${now.functionVersion}, not the deployed version ${a.targetVersion}`;
  const weighted = weightedRouting(now);
  return weighted && `GetAlias: ${name} ${weighted}`;
};

/**
 * Why a Succeeded ECS or Lambda target did not deliver; undefined when it did, and for other targets.
 * `aliasNow`: what GetAlias said of a Lambda deployment's alias after it.
 */
export const platformShortfall = (t: Target, aliasNow?: AliasNow): string | undefined => {
  if (t.kind === 'ecs') return eventShortfall(t) ?? ecsShortfall(t);
  if (t.kind === 'lambda')
    return eventShortfall(t) ?? lambdaShortfall(t) ?? (t.alias && aliasNowShortfall(t.alias, aliasNow));
  return undefined;
};
