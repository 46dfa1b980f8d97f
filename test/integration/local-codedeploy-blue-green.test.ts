// EC2 blue/green on the stand-in, through the real CodeDeploy client: a replacement fleet, traffic moved
// by a real load balancer on loopback, the originals blocked and terminated after the wait; a failing
// replacement instance never receives traffic; the audit reads the stand-in's Blue and Green targets.
import {
  ContinueDeploymentCommand,
  type DeploymentTarget,
  GetDeploymentCommand,
  GetDeploymentGroupCommand,
  ListDeploymentTargetsCommand,
} from '@aws-sdk/client-codedeploy';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ORIGINAL_EVENTS, REPLACEMENT_EVENTS } from '../../local/codedeploy/types';
import { startLoadLoop } from '../../local/load-loop';
import { readEvidence } from '../../shared/audit/audit';
import { buildReport } from '../../shared/audit/rules/verdict';
import { codedeployReader } from '../../shared/aws/codedeploy-reader';
import { noWait } from '../support/codedeploy-api';
import {
  allTargets,
  createDeployment,
  eventStatuses,
  provisionBlueGreen,
  type Stack,
  startStack,
  webBundle,
} from '../support/local-codedeploy-fixtures';

let stack: Stack;
beforeAll(async () => {
  // A configured minute lasts 20 ms here: the originals' 10-minute wait is 200 ms.
  stack = await startStack({ minuteMs: 20 });
});
afterAll(() => stack.stop());

const expectation = { minimumTargets: 3, tolerate: [] };

const deploy = async (application: string, group: string, bundle = webBundle()) => {
  const deploymentId = await createDeployment(stack, application, group, bundle);
  const status = await stack.standIn.waitForDeployment(deploymentId, 60_000);
  const info = (await stack.codedeploy.send(new GetDeploymentCommand({ deploymentId }))).deploymentInfo;
  const targets = await allTargets(stack, deploymentId);
  return { deploymentId, status, info, targets };
};

/**
 * A first deployment (its replacements become the fleet), then a second one under a load loop on the
 * group's load balancer, with replacement `failing` (0-based) failing ValidateService if given.
 */
const redeployUnderLoad = async (application: string, group: string, failing?: number) => {
  const first = await deploy(application, group);
  expect(first.status).toBe('Succeeded');
  const originals = stack.standIn.instances(application, group);
  const balancer = await stack.standIn.loadBalancer(application, group);
  if (failing !== undefined)
    stack.standIn.failHook({ application, group, instanceIndex: failing, hook: 'ValidateService' });
  const load = startLoadLoop({ url: balancer.url, concurrency: 4 });
  const second = await deploy(application, group);
  const report = await load.stop();
  stack.standIn.clearFailures();
  return { first, second, report, originals, balancer };
};

const labelled = (targets: DeploymentTarget[], label: 'Blue' | 'Green') =>
  targets.filter((t) => t.instanceTarget?.instanceLabel === label).map((t) => t.instanceTarget);

const auditOf = async (deploymentId: string) => {
  const { evidence } = await readEvidence(codedeployReader(stack.codedeploy, noWait), deploymentId);
  return buildReport(deploymentId, evidence, expectation);
};

const get = async (url: string) => {
  const res = await fetch(url);
  return {
    status: res.status,
    release: res.headers.get('x-release'),
    instance: res.headers.get('x-baton-instance'),
  };
};

/** Whether anything still listens on the instance's port. */
const listening = async (port: number) =>
  fetch(`http://127.0.0.1:${port}/release`).then(
    () => true,
    () => false,
  );

describe('blue/green on the local CodeDeploy', () => {
  it('replaces the fleet with no failed request, labels the targets, terminates the originals, and is VERIFIED', async () => {
    await provisionBlueGreen(stack, 'bg', 'bg-prod', 3, { waitMinutes: 10 });
    const group = await stack.codedeploy.send(
      new GetDeploymentGroupCommand({ applicationName: 'bg', deploymentGroupName: 'bg-prod' }),
    );
    expect(group.deploymentGroupInfo?.deploymentStyle).toEqual({
      deploymentType: 'BLUE_GREEN',
      deploymentOption: 'WITH_TRAFFIC_CONTROL',
    });
    expect(group.deploymentGroupInfo?.loadBalancerInfo?.targetGroupInfoList).toEqual([{ name: 'bg-prod' }]);

    const {
      first,
      second,
      report,
      originals: blueFleet,
      balancer,
    } = await redeployUnderLoad('bg', 'bg-prod');

    expect(second.status).toBe('Succeeded');
    expect(second.info?.deploymentStyle?.deploymentType).toBe('BLUE_GREEN');
    expect(second.info?.instanceTerminationWaitTimeStarted).toBe(true);
    const greens = labelled(second.targets, 'Green');
    const blues = labelled(second.targets, 'Blue');
    expect(blues.map((t) => t?.targetId).sort()).toEqual(blueFleet.map((i) => i.id).sort());
    expect(greens).toHaveLength(3);
    for (const t of greens) {
      expect(t?.status).toBe('Succeeded');
      expect(t?.lifecycleEvents?.map((e) => e.lifecycleEventName)).toEqual([...REPLACEMENT_EVENTS]);
    }
    for (const t of blues) {
      expect(t?.status).toBe('Succeeded');
      expect(Object.entries(eventStatuses(t ?? {}))).toEqual(ORIGINAL_EVENTS.map((e) => [e, 'Succeeded']));
    }
    const onlyGreen = await stack.codedeploy.send(
      new ListDeploymentTargetsCommand({
        deploymentId: second.deploymentId,
        targetFilters: { ServerInstanceLabel: ['Green'] },
      }),
    );
    expect(onlyGreen.targetIds?.sort()).toEqual(greens.map((t) => t?.targetId).sort());

    // The load loop never failed, and saw the release change from the first deployment to the second.
    expect(report.failures).toEqual({});
    expect(report.sent).toBeGreaterThan(20);
    expect(Object.keys(report.byRelease).sort()).toEqual([first.deploymentId, second.deploymentId].sort());
    expect((await get(balancer.url)).release).toBe(second.deploymentId);
    expect(balancer.registered().sort()).toEqual(greens.map((t) => t?.targetId).sort());

    // The replacement fleet is the group's now; the originals are terminated (their servers are gone).
    expect(stack.standIn.instances('bg', 'bg-prod').map((i) => i.id)).toEqual(greens.map((t) => t?.targetId));
    for (const i of blueFleet) {
      expect(stack.standIn.isTerminated(i.id)).toBe(true);
      expect(await listening(i.port)).toBe(false);
    }
    expect(stack.standIn.fleetEvents(second.deploymentId).map((e) => e.kind)).toEqual([
      'green-fleet-provisioned',
      'traffic-allowed',
      'traffic-blocked',
      'originals-waiting',
      'originals-terminated',
    ]);

    const audit = await auditOf(second.deploymentId);
    expect(audit.verdict).toBe('VERIFIED');
    expect(audit.counts).toMatchObject({ targets: 6, expected: 3, succeeded: 3, retired: 3 });
  });

  it('with AllAtOnce and one failing replacement: CodeDeploy Succeeded, the audit PARTIAL, the failed instance never serves', async () => {
    await provisionBlueGreen(stack, 'bgf', 'bgf-prod', 3, {
      deploymentConfigName: 'CodeDeployDefault.AllAtOnce',
      keep: true,
    });
    const { first, second, report, originals, balancer } = await redeployUnderLoad('bgf', 'bgf-prod', 1);

    expect(second.status).toBe('Succeeded');
    const greens = labelled(second.targets, 'Green');
    const failed = greens.filter((t) => t?.status === 'Failed');
    expect(failed).toHaveLength(1);
    const failedId = failed[0]?.targetId ?? '';
    expect(eventStatuses(failed[0] ?? {})).toMatchObject({
      ValidateService: 'Failed',
      BeforeAllowTraffic: 'Skipped',
      AllowTraffic: 'Skipped',
      AfterAllowTraffic: 'Skipped',
    });
    const diagnostics = failed[0]?.lifecycleEvents?.find((e) => e.status === 'Failed')?.diagnostics;
    expect(diagnostics).toMatchObject({ errorCode: 'ScriptFailed', scriptName: 'scripts/validate.sh' });
    expect(diagnostics?.logTail).toContain('injected failure of ValidateService');

    // No request failed and none reached the failed replacement; traffic went to the two healthy ones.
    expect(report.failures).toEqual({});
    expect(report.byInstance[failedId]).toBeUndefined();
    expect(balancer.served.get(failedId)).toBeUndefined();
    expect(balancer.registered().sort()).toEqual(
      greens
        .filter((t) => t?.status === 'Succeeded')
        .map((t) => t?.targetId)
        .sort(),
    );
    // KEEP_ALIVE: the originals are out of the load balancer but still running their release.
    for (const i of originals) {
      expect(stack.standIn.isTerminated(i.id)).toBe(false);
      expect(await (await fetch(`http://127.0.0.1:${i.port}/release`)).text()).toBe(
        `${first.deploymentId}\n`,
      );
    }

    const audit = await auditOf(second.deploymentId);
    expect(audit.verdict).toBe('PARTIAL');
    expect(audit.failing).toEqual([
      expect.objectContaining({
        id: failedId,
        label: 'Green',
        event: expect.objectContaining({ name: 'ValidateService' }),
      }),
    ]);
    expect(audit.counts).toMatchObject({ expected: 3, succeeded: 2, retired: 3 });
  });

  it('when the replacement fleet fails, traffic never moves: the originals keep serving through the load balancer', async () => {
    await provisionBlueGreen(stack, 'bgx', 'bgx-prod', 2, {
      deploymentConfigName: 'CodeDeployDefault.OneAtATime',
    });
    const { first, second, report, originals, balancer } = await redeployUnderLoad('bgx', 'bgx-prod', 0);

    expect(second.status).toBe('Failed');
    expect(second.info?.errorInformation?.code).toBe('HEALTH_CONSTRAINTS');
    expect(report.failures).toEqual({});
    expect(Object.keys(report.byRelease)).toEqual([first.deploymentId]);
    expect(balancer.registered().sort()).toEqual(originals.map((i) => i.id).sort());
    expect(stack.standIn.instances('bgx', 'bgx-prod')).toEqual(originals);
    for (const t of labelled(second.targets, 'Blue')) expect(t?.status).toBe('Skipped');
    expect(stack.standIn.fleetEvents(second.deploymentId).map((e) => e.kind)).toEqual([
      'green-fleet-provisioned',
      'replacements-terminated',
    ]);
    expect((await auditOf(second.deploymentId)).verdict).toBe('FAILED');
  });

  /** Polls GetDeployment (and its targets) until `ready` says so. */
  const until = async (
    deploymentId: string,
    ready: (targets: DeploymentTarget[], waitStarted: boolean) => boolean,
  ) => {
    for (let i = 0; i < 300; i += 1) {
      const info = (await stack.codedeploy.send(new GetDeploymentCommand({ deploymentId }))).deploymentInfo;
      if (
        ready(
          await allTargets(stack, deploymentId).catch(() => []),
          info?.instanceTerminationWaitTimeStarted ?? false,
        )
      )
        return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`${deploymentId} never got there`);
  };

  it('ContinueDeployment(TERMINATION_WAIT) terminates the originals before the wait ends', async () => {
    await provisionBlueGreen(stack, 'bgw', 'bgw-prod', 1, { waitMinutes: 2880 });
    const id = await createDeployment(stack, 'bgw', 'bgw-prod', webBundle());
    await until(id, (_, waitStarted) => waitStarted);
    await stack.codedeploy.send(
      new ContinueDeploymentCommand({ deploymentId: id, deploymentWaitType: 'TERMINATION_WAIT' }),
    );
    expect(await stack.standIn.waitForDeployment(id, 10_000)).toBe('Succeeded');
  });

  it('manual rerouting waits Ready for ContinueDeployment(READY_WAIT), and stops when nobody continues', async () => {
    await provisionBlueGreen(stack, 'bgm', 'bgm-prod', 2, { manualMinutes: 60, waitMinutes: 0 });
    const continued = await createDeployment(stack, 'bgm', 'bgm-prod', webBundle());
    const ready = (targets: DeploymentTarget[]) =>
      labelled(targets, 'Green').filter((t) => t?.status === 'Ready').length === 2;
    await until(continued, ready);
    const balancer = await stack.standIn.loadBalancer('bgm', 'bgm-prod');
    expect(balancer.registered()).toEqual([]);
    await stack.codedeploy.send(
      new ContinueDeploymentCommand({ deploymentId: continued, deploymentWaitType: 'READY_WAIT' }),
    );
    expect(await stack.standIn.waitForDeployment(continued, 10_000)).toBe('Succeeded');
    expect(balancer.registered()).toHaveLength(2);

    // 60 minutes are 1.2 s here: nobody continues, the deployment stops and the fleet in service stays.
    const serving = balancer.registered();
    const abandoned = await createDeployment(stack, 'bgm', 'bgm-prod', webBundle());
    expect(await stack.standIn.waitForDeployment(abandoned, 20_000)).toBe('Stopped');
    const info = (await stack.codedeploy.send(new GetDeploymentCommand({ deploymentId: abandoned })))
      .deploymentInfo;
    expect(info?.errorInformation?.code).toBe('TIMEOUT');
    expect(balancer.registered()).toEqual(serving);
  });
});
