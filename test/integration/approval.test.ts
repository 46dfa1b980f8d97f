// Approvals on moto: the ledger on S3, requests on SNS (read back from moto, and routed by the very
// filter policies infra/pipeline.cjs generates), the link key in Secrets Manager with two versions.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CreateSecretCommand, PutSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { SubscribeCommand } from '@aws-sdk/client-sns';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { run } from '../../functions/approval/handler';
import { run as decided } from '../../functions/approval-decided/handler';
import type { ApprovalDeps } from '../../shared/approvals/approvals';
import { approvals } from '../../shared/approvals/approvals';
import { verifyToken } from '../../shared/approvals/rules/token';
import { secretsKeySource } from '../../shared/aws/approval-keys';
import { snsNotifier } from '../../shared/aws/sns-notifier';
import type { Pipeline } from '../../shared/pipeline/rules/config';
import {
  ManualClock,
  RecordingReleaseFlow,
  SAMPLE_APPROVAL_ID,
  sampleRequest,
  seedStagingAudit,
} from '../support/approvals';
import { CapturingLog, loadEvent, root, samplePipeline } from '../support/fixtures';
import { motoData, useMoto } from '../support/moto';
import { createLedger, createTopic } from '../support/moto-ledger';
import { objectCreatedEvent } from '../support/s3-events';

const ctx = useMoto();
const APPROVERS = ['ana@example.com', 'bo@example.com', 'cy@example.com'];
let n = 0;

const pipelineWith = (approvers: string[]): Pipeline => {
  const pipeline = samplePipeline();
  const production = pipeline.applications.web?.environments.find((e) => e.name === 'production');
  if (!production) throw new Error('sample pipeline has no production');
  // Two of three, or the one approver alone: required never exceeds the approvers (a configuration error).
  production.approval = { approvers, required: Math.min(2, approvers.length), expiresInMinutes: 4320 };
  return pipeline;
};

// The approvers' mailboxes, played by SQS queues subscribed exactly as serverless.yml subscribes emails.
const sqs = async (op: string, body: Record<string, unknown>) => {
  const res = await fetch(`${ctx.moto.endpoint}/`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-amz-json-1.0',
      'x-amz-target': `AmazonSQS.${op}`,
      authorization:
        'AWS4-HMAC-SHA256 Credential=testing/20261120/us-east-1/sqs/aws4_request, SignedHeaders=host, Signature=0',
    },
    body: JSON.stringify(body),
  });
  return (await res.json()) as { QueueUrl?: string; Messages?: { Body: string }[] };
};

const generatedSubscriptions = (pipeline: Pipeline) => {
  const dir = join(root, 'test-output');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'approval-pipeline.yml'), stringify(pipeline));
  process.env.BATON_CONFIG = 'test-output/approval-pipeline.yml';
  try {
    const cjs = require(join(root, 'infra', 'pipeline.cjs')) as {
      approvalSubscriptions: () => Record<
        string,
        { Properties: { Endpoint: string; FilterPolicy: unknown; FilterPolicyScope: string } }
      >;
    };
    return Object.values(cjs.approvalSubscriptions()).map((r) => r.Properties);
  } finally {
    delete process.env.BATON_CONFIG;
  }
};

const stack = async (pipeline: Pipeline) => {
  n += 1;
  const { sns, secrets } = ctx;
  const bucket = `approval-test-${n}`;
  const store = await createLedger(ctx.s3, bucket);
  const approvalTopic = await createTopic(sns, `approvals-${n}`);
  const alertTopic = await createTopic(sns, `alerts-${n}`);
  const secret = await secrets.send(
    new CreateSecretCommand({ Name: `baton/approval-key-${n}`, SecretString: `first-key-${'1'.repeat(40)}` }),
  );
  const secretArn = secret.ARN ?? '';
  const releaseFlow = new RecordingReleaseFlow();
  const deps = (): ApprovalDeps & { releaseFlow: RecordingReleaseFlow } => ({
    pipeline,
    store,
    clock: new ManualClock('2026-11-20T18:00:00.000Z'),
    log: new CapturingLog(),
    notifier: snsNotifier(sns),
    releaseFlow,
    // A new key source is a new Lambda container: nothing cached.
    keys: secretsKeySource(secrets, secretArn),
    alertTopicArn: alertTopic,
    approvalTopicArn: approvalTopic,
    approvalUrl: 'https://abcdefghijklmnopqrstuvwxyz012345.lambda-url.us-east-1.on.aws/',
  });
  const rotate = (value: string) =>
    secrets.send(new PutSecretValueCommand({ SecretId: secretArn, SecretString: value }));
  return { sns, approvalTopic, deps, rotate, releaseFlow, bucket };
};

const sentOn = async (topicArn: string) => {
  const data = await motoData(ctx.moto.endpoint);
  const topics = (data.sns?.Topic ?? []) as { arn: string; sent_notifications: unknown[][] }[];
  return (topics.find((t) => t.arn === topicArn)?.sent_notifications ?? []).map(
    ([messageId, message, subject, attributes]) => ({
      messageId,
      message: String(message),
      subject,
      attributes,
    }),
  );
};

const tokenIn = (message: string) =>
  new URL(message.split('\n').find((l) => l.startsWith('https://')) ?? '').searchParams;

describe('approvals on moto', () => {
  it('publishes one message per approver; the generated filter policies route each approver only their own link', async () => {
    // Prepare
    const pipeline = pipelineWith(APPROVERS);
    const s = await stack(pipeline);
    const mailboxes = new Map<string, string>();
    for (const sub of generatedSubscriptions(pipeline)) {
      const queue = `mailbox-${n}-${sub.Endpoint.split('@')[0]}`;
      const { QueueUrl } = await sqs('CreateQueue', { QueueName: queue });
      mailboxes.set(sub.Endpoint, QueueUrl ?? '');
      await s.sns.send(
        new SubscribeCommand({
          TopicArn: s.approvalTopic,
          Protocol: 'sqs',
          Endpoint: `arn:aws:sqs:us-east-1:123456789012:${queue}`,
          Attributes: {
            FilterPolicy: JSON.stringify(sub.FilterPolicy),
            FilterPolicyScope: sub.FilterPolicyScope,
            RawMessageDelivery: 'true',
          },
        }),
      );
    }
    const deps = s.deps();
    await seedStagingAudit(deps.store, 9);
    // Act
    await approvals(deps).request(sampleRequest());
    await approvals(deps).request(sampleRequest());
    // Assess: read back from moto
    const sent = await sentOn(s.approvalTopic);
    expect(sent).toHaveLength(3);
    const routed = sent.map((m) => JSON.stringify(m.attributes)).sort();
    expect(routed).toEqual(APPROVERS.map((a) => JSON.stringify({ approver: { Type: 'String', Value: a } })));
    expect(sent.every((m) => m.subject === 'Baton web production: approve release v1.2.0?')).toBe(true);
    expect(sent[0]?.message).toContain('Audit there:  VERIFIED (9/9 instances verified)');
    const keys = await deps.keys();
    for (const approver of APPROVERS) {
      const inbox = await sqs('ReceiveMessage', {
        QueueUrl: mailboxes.get(approver),
        MaxNumberOfMessages: 10,
      });
      expect(inbox.Messages).toHaveLength(1);
      const params = tokenIn(inbox.Messages?.[0]?.Body ?? '');
      const check = verifyToken(keys, params.get('token'), {
        approvalId: SAMPLE_APPROVAL_ID,
        now: deps.clock.now(),
      });
      expect(check).toMatchObject({ ok: true, claims: { approver } });
    }
  });

  it('accepts links signed with the key version before a rotation, and not two rotations back', async () => {
    // Prepare: links go out while the secret has one version (no AWSPREVIOUS yet).
    const s = await stack(pipelineWith(['ana@example.com']));
    await approvals(s.deps()).request(sampleRequest());
    const [sent] = await sentOn(s.approvalTopic);
    const link = tokenIn(sent?.message ?? '');
    const get = loadEvent<{ rawQueryString: string }>('approval/get.json');
    get.rawQueryString = link.toString();
    // Act
    const before = await run(get, s.deps());
    await s.rotate(`second-key-${'2'.repeat(40)}`);
    const afterOne = await run(get, s.deps());
    await s.rotate(`third-key-${'3'.repeat(40)}`);
    const afterTwo = await run(get, s.deps());
    // Assess
    expect(before.statusCode).toBe(200);
    expect(afterOne.statusCode).toBe(200);
    expect(afterOne.body).toContain('Approve web v1.2.0 for production?');
    expect(afterTwo.statusCode).toBe(403);
    expect(afterTwo.body).toContain('data-refusal="tampered"');
  });

  it('records exactly one decision when the same link is posted five times at once; its event settles once', async () => {
    // Prepare
    const s = await stack(pipelineWith(['ana@example.com']));
    await approvals(s.deps()).request(sampleRequest());
    const link = tokenIn((await sentOn(s.approvalTopic))[0]?.message ?? '');
    const post = loadEvent<{ rawQueryString: string; body: string }>('approval/post-approve.json');
    post.rawQueryString = link.toString();
    post.body = Buffer.from(`${link.toString()}&decision=approve&comment=ship+it`).toString('base64');
    // Act: five posts, then the decision's S3 event, delivered five times at once.
    const results = await Promise.all([1, 2, 3, 4, 5].map(() => run(post, s.deps())));
    const recorded = s.releaseFlow.calls.length;
    const [key = ''] = await s.deps().store.list('approval-decisions/');
    const event = objectCreatedEvent(s.bucket, { key: `ledger/${key}` });
    const settling = () => ({ ...s.deps(), bucket: s.bucket, ledgerPrefix: 'ledger/' });
    await Promise.all([1, 2, 3, 4, 5].map(() => decided(event, settling())));
    // Assess
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 409, 409, 409, 409]);
    expect(recorded).toBe(0);
    expect(s.releaseFlow.calls).toEqual([
      { application: 'web', release: 'v1.2.0', trigger: 'approved by ana@example.com' },
    ]);
    expect(await approvals(s.deps()).state('web', 'v1.2.0', 'production')).toBe('approved');
  });
});
