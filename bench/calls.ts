// AWS calls per step, counted on real SDK clients against moto: artifact upload → CreateDeployment.
// Run: npx tsx bench/calls.ts

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CreateApplicationCommand, CreateDeploymentGroupCommand } from '@aws-sdk/client-codedeploy';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { parse } from 'yaml';
import { run } from '../functions/artifact-uploaded/handler';
import { clientsFor, createVersionedBucket } from '../local/clients';
import { startMoto } from '../local/moto';
import { codedeployDeployer } from '../shared/adapters/codedeploy-deployer';
import { s3Artifacts } from '../shared/adapters/s3-artifacts';
import { S3RecordStore } from '../shared/adapters/s3-ledger';
import { parsePipeline } from '../shared/domain/config';
import { systemClock } from '../shared/ports';
import { root } from './lib/bundle';
import { countCalls } from './lib/count-calls';

export interface CallRow {
  step: string;
  untilGoal: number;
  total: number;
  sequence: string;
}

const quiet = { info: () => {}, warn: () => {}, error: () => {} };

export const benchCalls = async (): Promise<CallRow[]> => {
  const moto = await startMoto();
  try {
    const setup = clientsFor(moto.endpoint);
    const bucket = 'bench-pipeline';
    await createVersionedBucket(setup.s3, bucket);
    await setup.codedeploy.send(new CreateApplicationCommand({ applicationName: 'baton-web' }));
    await setup.codedeploy.send(
      new CreateDeploymentGroupCommand({
        applicationName: 'baton-web',
        deploymentGroupName: 'web-dev',
        serviceRoleArn: 'arn:aws:iam::123456789012:role/codedeploy',
      }),
    );
    const commit = 'c0ffee0000000000000000000000000000000001';
    const key = `artifacts/web/${commit}.zip`;
    const put = await setup.s3.send(
      new PutObjectCommand({ Bucket: bucket, Key: key, Body: 'zip', Metadata: { branch: 'main' } }),
    );

    const calls: string[] = [];
    const measured = clientsFor(moto.endpoint);
    countCalls('S3', measured.s3, calls);
    countCalls('CodeDeploy', measured.codedeploy, calls);
    const pipeline = parsePipeline(parse(readFileSync(join(root, 'pipeline.yml'), 'utf8')));
    await run(
      {
        source: 'aws.s3',
        'detail-type': 'Object Created',
        time: new Date().toISOString(),
        detail: {
          bucket: { name: bucket },
          object: { key, size: 3, etag: put.ETag, 'version-id': put.VersionId },
        },
      },
      {
        pipeline,
        store: new S3RecordStore(measured.s3, bucket, pipeline.ledgerPrefix),
        clock: systemClock,
        log: quiet,
        deployer: codedeployDeployer(measured.codedeploy),
        artifacts: s3Artifacts(measured.s3),
      },
    );
    const goal = calls.indexOf('CodeDeploy.CreateDeployment') + 1;
    return [
      {
        step: 'artifact upload → CreateDeployment',
        untilGoal: goal,
        total: calls.length,
        sequence: calls.join(' → '),
      },
    ];
  } finally {
    await moto.stop();
  }
};

export const callTable = (rows: CallRow[]) => [
  '| step | calls until the goal | calls in all | sequence |',
  '| --- | ---: | ---: | --- |',
  ...rows.map((r) => `| ${r.step} | ${r.untilGoal} | ${r.total} | ${r.sequence} |`),
];

if (require.main === module) {
  benchCalls().then((rows) => console.log(callTable(rows).join('\n')));
}
