// The embedded default end to end: an upload to moto's S3 reaches artifact-uploaded through the router,
// which starts a deployment on the local CodeDeploy, whose hooks really run on the local instances.

import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildArtifact } from '../../local/artifact';
import { findDeployment } from '../../local/ledger-watch';
import { type LocalStack, startLocalStack } from '../../local/stack';
import { readDeployment } from '../../local/targets';

const app = () => {
  const dir = mkdtempSync(join(tmpdir(), 'baton-app-'));
  mkdirSync(join(dir, 'site'));
  mkdirSync(join(dir, 'scripts'));
  writeFileSync(join(dir, 'site', 'index.html'), '<h1>hi</h1>');
  writeFileSync(
    join(dir, 'appspec.yml'),
    [
      'version: 0.0',
      'os: linux',
      'files:',
      '  - source: site',
      '    destination: /srv/web',
      'hooks:',
      '  ValidateService:',
      '    - location: scripts/validate.sh',
    ].join('\n'),
  );
  writeFileSync(
    join(dir, 'scripts', 'validate.sh'),
    '#!/bin/bash\necho "validating $DEPLOYMENT_GROUP_NAME"\ntest -f "$BATON_INSTANCE_ROOT/srv/web/index.html"\n',
  );
  return dir;
};

describe('local stack', () => {
  let stack: LocalStack;
  beforeAll(async () => {
    stack = await startLocalStack({ instances: 3 });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('turns an upload into a deployment whose hooks run on every local instance', async () => {
    const artifact = buildArtifact(app(), '/nonexistent');
    const key = `artifacts/web/${artifact.commit}.zip`;
    await stack.clients.s3.send(
      new PutObjectCommand({
        Bucket: stack.bucket,
        Key: key,
        Body: artifact.zip,
        Metadata: { branch: 'main' },
      }),
    );
    await stack.pollS3();
    await stack.router.settle();

    const delivery = stack.router.deliveries.find((d) => d.route === 'artifact-uploaded');
    expect(delivery?.error).toBeUndefined();
    expect(delivery?.result).toMatchObject({
      results: [{ outcome: 'recorded', deployments: { dev: { outcome: 'started' } } }],
    });
    const deployment = await findDeployment(stack, 'dev', { commit: artifact.commit });
    const deploymentId = deployment?.deploymentId ?? '';
    expect(await stack.codedeploy.waitForDeployment(deploymentId)).toBe('Succeeded');

    const read = await readDeployment(stack.clients.codedeploy, deploymentId);
    expect(read.targets.map((t) => t.instanceTarget?.status)).toEqual([
      'Succeeded',
      'Succeeded',
      'Succeeded',
    ]);
    for (const instance of stack.codedeploy.instances('baton-web', 'web-dev'))
      expect(readFileSync(join(instance.root, 'srv', 'web', 'index.html'), 'utf8')).toBe('<h1>hi</h1>');
  });

  it('delivers the same upload only once even when polled again', async () => {
    // Only the bucket's deliveries count: the local CodeDeploy's own events may still be arriving.
    const uploads = () => stack.router.deliveries.filter((d) => d.route === 'artifact-uploaded').length;
    expect(uploads()).toBe(1);
    await stack.pollS3();
    await stack.router.settle();
    expect(uploads()).toBe(1);
  });

  it('waits without listing the bucket, and moto does not grow while the stack is kept', async () => {
    // Prepare: a bucket with versions to list (60 objects of 64 KB under the artifact prefix, delivered).
    const body = new Uint8Array(64 * 1024).fill(7);
    for (let i = 0; i < 60; i++)
      await stack.clients.s3.send(
        new PutObjectCommand({ Bucket: stack.bucket, Key: `artifacts/other/${i}/x.txt`, Body: body }),
      );
    await stack.pollS3();
    await stack.router.settle();
    let listed = 0;
    stack.clients.s3.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === 'ListObjectVersionsCommand') listed += 1;
        return next(args);
      },
      { step: 'initialize', name: 'countListings' },
    );
    const rssMb = () =>
      Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${stack.moto.pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;

    // Act: the stack left alone for 8 s.
    const before = rssMb();
    await new Promise((r) => setTimeout(r, 8000));
    const after = rssMb();

    // Assess: no listing at all, and moto's memory within 3 MB of where it was.
    expect(listed).toBe(0);
    expect(after - before).toBeLessThan(3);
  }, 30_000);
});
