// Reads a deployment's targets from CodeDeploy and prints them per instance for the timeline.
import {
  BatchGetDeploymentTargetsCommand,
  type CodeDeployClient,
  type DeploymentTarget,
  GetDeploymentCommand,
  ListDeploymentTargetsCommand,
} from '@aws-sdk/client-codedeploy';

export const readDeployment = async (client: CodeDeployClient, deploymentId: string) => {
  const info = (await client.send(new GetDeploymentCommand({ deploymentId }))).deploymentInfo;
  const ids: string[] = [];
  let nextToken: string | undefined;
  do {
    const page = await client.send(new ListDeploymentTargetsCommand({ deploymentId, nextToken }));
    ids.push(...(page.targetIds ?? []));
    nextToken = page.nextToken;
  } while (nextToken);
  const targets: DeploymentTarget[] = [];
  for (let i = 0; i < ids.length; i += 25) {
    const out = await client.send(
      new BatchGetDeploymentTargetsCommand({ deploymentId, targetIds: ids.slice(i, i + 25) }),
    );
    targets.push(...(out.deploymentTargets ?? []));
  }
  // Replacement (Green) instances first, then the originals, each by id.
  const side = (t: DeploymentTarget) => (t.instanceTarget?.instanceLabel === 'Green' ? 0 : 1);
  targets.sort(
    (a, b) =>
      side(a) - side(b) || (a.instanceTarget?.targetId ?? '').localeCompare(b.instanceTarget?.targetId ?? ''),
  );
  return { status: info?.status ?? 'Unknown', overview: info?.deploymentOverview, targets };
};

const SHORT: Record<string, string> = {
  Succeeded: 'ok',
  Failed: 'FAILED',
  Skipped: 'skipped',
  Pending: 'pending',
};

export const describeTargets = (targets: DeploymentTarget[]): string[] => {
  const blueGreen = targets.some((t) => t.instanceTarget?.instanceLabel === 'Green');
  return targets.flatMap((t) => {
    const it = t.instanceTarget ?? t.ecsTarget ?? t.lambdaTarget;
    const events = (it?.lifecycleEvents ?? []).map(
      (e) => `${e.lifecycleEventName}:${SHORT[e.status ?? ''] ?? e.status}`,
    );
    // Blue/green targets say which fleet they belong to.
    const label = blueGreen ? ` ${String(t.instanceTarget?.instanceLabel ?? '?').padEnd(5)}` : '';
    const lines = [
      `  ${it?.targetId ?? '?'}${label}  ${String(it?.status ?? '?').padEnd(9)} ${events.join(' ')}`,
      // ECS: where production traffic is; Lambda: the alias's versions.
      ...(t.ecsTarget?.taskSetsInfo ?? []).map(
        (s) =>
          `      task set ${s.taskSetLabel} ${s.identifer} (${s.targetGroup?.name}): ${s.status}, ${s.trafficWeight}% of traffic`,
      ),
      ...(t.lambdaTarget?.lambdaFunctionInfo
        ? [
            `      alias ${t.lambdaTarget.lambdaFunctionInfo.functionAlias}: version ${t.lambdaTarget.lambdaFunctionInfo.currentVersion} → ${t.lambdaTarget.lambdaFunctionInfo.targetVersion} at ${t.lambdaTarget.lambdaFunctionInfo.targetVersionWeight}%`,
          ]
        : []),
    ];
    const failed = (it?.lifecycleEvents ?? []).find((e) => e.status === 'Failed');
    if (failed?.diagnostics) {
      const d = failed.diagnostics;
      lines.push(`      ${failed.lifecycleEventName} ${d.errorCode}: ${d.message}`);
      const tail = (d.logTail ?? '').trim().split('\n').filter(Boolean).slice(-4);
      for (const l of tail) lines.push(`      | ${l.slice(0, 160)}`);
    }
    return lines;
  });
};
