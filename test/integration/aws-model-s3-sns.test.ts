// S3's and SNS's API models as the oracle for what Baton sends: releases on moto through the real S3
// ledger and artifact store, alerts and approval requests through the real notifier, every command
// recorded as the adapter built it and checked against the operation's input shape, and each Publish
// against SNS's documented Subject and message attribute rules.
import { CreateSecretCommand } from '@aws-sdk/client-secrets-manager';
import { beforeAll, describe, expect, it } from 'vitest';
import { approvals } from '../../shared/approvals/approvals';
import { type ArtifactDeps, artifactUploaded } from '../../shared/artifacts/artifact-uploaded';
import { objectCreatedEventSchema } from '../../shared/artifacts/rules/s3-events';
import { secretsKeySource } from '../../shared/aws/approval-keys';
import { s3Artifacts } from '../../shared/aws/s3-artifacts';
import { snsNotifier } from '../../shared/aws/sns-notifier';
import { parseWith } from '../../shared/core/rules/parse';
import { sourcePushedEventSchema } from '../../shared/pushes/rules/codecommit-events';
import { sourcePushed } from '../../shared/pushes/source-pushed';
import { releaseFlow } from '../../shared/releases/promotion';
import { ManualClock, RecordingReleaseFlow, sampleRequest, seedStagingAudit } from '../support/approvals';
import { awsModel } from '../support/aws-models';
import {
  CapturingLog,
  COMMIT,
  COMMIT2,
  FakeDeployer,
  loadEvent,
  StepClock,
  samplePipeline,
} from '../support/fixtures';
import { clientsFor } from '../support/moto';
import { createTopic, ledgerStore, putArtifact, useMotoLedger } from '../support/moto-ledger';
import { FakeApprovals, finish, tagEvent } from '../support/releases';
import { modelProblems, recordCommands, type SentCommand } from '../support/sdk-recorder';
import { publishProblems } from '../support/sns-rules';

const BUCKET = 'baton-model-test';
const ctx = useMotoLedger(BUCKET);
let s3Sent: SentCommand[] = [];
let snsSent: SentCommand[] = [];

// What the two functions do with their events, without their Lambda wiring.
const pushed = async (d: ArtifactDeps & Parameters<typeof sourcePushed>[0], event: unknown) => {
  for (const change of parseWith(sourcePushedEventSchema, event)) await sourcePushed(d, change);
};
const uploaded = async (d: ArtifactDeps, event: unknown) => {
  for (const notice of parseWith(objectCreatedEventSchema, event)) await artifactUploaded(d, notice);
};

/** What CI does (not Baton, so not recorded): the artifact lands, and S3 says so through EventBridge. */
const uploadedEvent = async (commit: string) => (await putArtifact(ctx.s3, BUCKET, commit)).event;

beforeAll(async () => {
  const { s3, sns, secrets } = clientsFor(ctx.moto.endpoint);
  s3Sent = recordCommands(s3);
  snsSent = recordCommands(sns);
  const [alertTopicArn, approvalTopicArn] = [
    await createTopic(sns, 'alerts'),
    await createTopic(sns, 'approvals'),
  ];
  const key = await secrets.send(
    new CreateSecretCommand({ Name: 'baton/key', SecretString: 'k'.repeat(48) }),
  );
  const clock = new StepClock();
  const store = ledgerStore(s3, BUCKET);
  const common = { pipeline: samplePipeline(), store, log: new CapturingLog(), alertTopicArn };
  const notifier = snsNotifier(sns);
  const release = { ...common, clock, deployer: new FakeDeployer(), artifacts: s3Artifacts(s3) };
  const d = { ...release, approvals: new FakeApprovals(), notifier };

  // A release that waits for its artifact, enters staging, is verified and approved; then a moved tag.
  await pushed(d, tagEvent('v1.3.0', COMMIT2, '2026-11-20T20:00:00Z'));
  await uploaded(d, await uploadedEvent(COMMIT2));
  await uploaded(d, await uploadedEvent(COMMIT));
  await pushed(d, loadEvent('codecommit/tag-release.json'));
  await finish(d, 'd-FAKE00002', 'VERIFIED');
  await releaseFlow(d).advance('web', 'v1.2.0', 'audit VERIFIED of d-FAKE00002');
  await pushed(d, loadEvent('eventbridge/codecommit-tag-created.json'));
  await pushed(d, loadEvent('eventbridge/codecommit-tag-moved.json'));

  // An approval request: one message per approver, each with its `approver` attribute.
  const approval = {
    ...common,
    clock: new ManualClock('2026-11-20T18:00:00.000Z'),
    notifier,
    releaseFlow: new RecordingReleaseFlow(),
    keys: secretsKeySource(secrets, key.ARN ?? ''),
    approvalTopicArn,
    approvalUrl: 'https://abcdefghijklmnopqrstuvwxyz012345.lambda-url.us-east-1.on.aws/',
  };
  await seedStagingAudit(store, 9);
  await approvals(approval).request(sampleRequest());
}, 60_000);

describe('the S3 and SNS requests Baton sends, against the API models', () => {
  it('every S3 request of the ledger and the artifact store is a valid input of its operation', () => {
    expect(modelProblems(awsModel('s3'), s3Sent)).toEqual([]);
    expect(new Set(s3Sent.map((c) => c.operation))).toEqual(
      new Set(['PutObject', 'GetObject', 'HeadObject', 'ListObjectsV2', 'DeleteObject']),
    );
    const puts = s3Sent.filter((c) => c.operation === 'PutObject').map((c) => c.input);
    expect(puts.some((p) => p.IfNoneMatch === '*')).toBe(true);
    expect(puts.some((p) => typeof p.IfMatch === 'string')).toBe(true);
  });

  it('every Publish is a valid input, with a Subject and attributes SNS takes', () => {
    const publishes = snsSent.filter((c) => c.operation === 'Publish');

    expect(modelProblems(awsModel('sns'), snsSent)).toEqual([]);
    expect(publishProblems(snsSent)).toEqual([]);
    expect(publishes.some((c) => Object.keys(c.input.MessageAttributes ?? {}).includes('approver'))).toBe(
      true,
    );
    expect(publishes.some((c) => String(c.input.Subject).includes('moved'))).toBe(true);
  });

  it('would catch a request the services refuse', () => {
    const put = s3Sent.find((c) => c.operation === 'PutObject');
    const publish = snsSent.find((c) => c.operation === 'Publish');
    const bad = (c: SentCommand | undefined, input: Record<string, unknown>) => [
      { operation: c?.operation ?? '', input: { ...c?.input, ...input } },
    ];

    expect(modelProblems(awsModel('s3'), bad(put, { Key: '', IfMatches: '*' }))).toEqual([
      'PutObject $: IfMatches is not a member of PutObjectRequest',
      'PutObject $.Key: 0 characters, below the minimum 1',
    ]);
    expect(modelProblems(awsModel('sns'), bad(publish, { Message: undefined }))).toEqual([
      'Publish $: required member Message is missing',
    ]);
    expect(publishProblems(bad(publish, { Subject: 's'.repeat(100) }))).toEqual([
      'Subject: 100 UTF-16 code units, not less than 100',
    ]);
    expect(
      publishProblems(bad(publish, { Subject: 'two\nlines', MessageAttributes: { 'AWS.x': {} } })),
    ).toEqual([
      'Subject: a line break or control character',
      'MessageAttributes: the name "AWS.x"',
      'MessageAttributes.AWS.x: the type undefined',
      'MessageAttributes.AWS.x: an empty value',
    ]);
  });
});
