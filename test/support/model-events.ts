// Events of the model world in the shapes AWS delivers, each built from a sample of events/ with its
// facts replaced: S3 "Object Created" (EventBridge and the classic notification), CodeCommit pushes
// (repository trigger and EventBridge state change), CodeDeploy state changes (EventBridge and the
// SNS trigger), EventBridge's scheduled event, and a POST from the approval page.
import { alarmEvent } from '../../local/bake-scenario';
import { loadEvent } from './fixtures';

type Json = Record<string, unknown>;
type Shaped<T> = Json & T;

export type S3Shape = 'eventbridge' | 'classic';
export type PushShape = 'trigger' | 'eventbridge';
export type StateShape = 'eventbridge' | 'sns';

/** EventBridge times have whole seconds; the trigger's have milliseconds and a +0000 offset. */
const seconds = (at: Date) => `${at.toISOString().slice(0, 19)}Z`;
const triggerTime = (at: Date) => at.toISOString().replace('Z', '+0000');

export interface ObjectFacts {
  bucket: string;
  key: string;
  versionId: string;
  etag: string;
  size: number;
}

export const objectCreated = (shape: S3Shape, o: ObjectFacts, at: Date): Json => {
  if (shape === 'eventbridge') {
    const e = loadEvent<Shaped<{ detail: { bucket: Json; object: Json } }>>(
      'eventbridge/s3-object-created.json',
    );
    e.time = seconds(at);
    e.detail.bucket.name = o.bucket;
    Object.assign(e.detail.object, { key: o.key, size: o.size, etag: o.etag, 'version-id': o.versionId });
    return e;
  }
  const e = loadEvent<{ Records: Shaped<{ s3: { bucket: Json; object: Json } }>[] }>(
    's3/object-created.json',
  );
  const [record] = e.Records;
  if (!record) throw new Error('sample s3/object-created.json has no record');
  record.eventTime = at.toISOString();
  record.s3.bucket.name = o.bucket;
  // The classic notification URL-encodes the key, spaces as +.
  const key = encodeURIComponent(o.key).replace(/%2F/g, '/').replace(/%20/g, '+');
  Object.assign(record.s3.object, { key, size: o.size, eTag: o.etag, versionId: o.versionId });
  return e;
};

export interface RefPush {
  eventId: string;
  kind: 'branch' | 'tag';
  name: string;
  commit: string;
  /** Branch: the commit it pointed to before. Tag: the commit it pointed to, when it was moved. */
  oldCommit?: string;
}

export const refPushed = (shape: PushShape, p: RefPush, at: Date): Json => {
  const ref = `refs/${p.kind === 'branch' ? 'heads' : 'tags'}/${p.name}`;
  const created = p.oldCommit === undefined;
  if (shape === 'trigger') {
    const e = loadEvent<{ Records: Shaped<{ codecommit: { references: Json[] } }>[] }>(
      'codecommit/push-main.json',
    );
    const [record] = e.Records;
    if (!record) throw new Error('sample codecommit/push-main.json has no record');
    record.eventId = p.eventId;
    record.eventTime = triggerTime(at);
    record.codecommit.references = [{ commit: p.commit, ref, ...(created ? { created: true } : {}) }];
    return e;
  }
  const sample = p.kind === 'branch' ? 'codecommit-branch-updated' : 'codecommit-tag-created';
  const e = loadEvent<Shaped<{ detail: Json }>>(`eventbridge/${sample}.json`);
  e.id = p.eventId;
  e.time = seconds(at);
  e.detail = {
    ...e.detail,
    event: created ? 'referenceCreated' : 'referenceUpdated',
    commitId: p.commit,
    referenceType: p.kind,
    referenceName: p.name,
    referenceFullName: ref,
  };
  if (created) delete e.detail.oldCommitId;
  else e.detail.oldCommitId = p.oldCommit;
  return e;
};

export interface StateChange {
  deploymentId: string;
  application: string;
  group: string;
  /** EventBridge state; the SNS trigger carries the matching deployment status. */
  state: 'START' | 'SUCCESS' | 'FAILURE' | 'STOP';
}

const STATUS = { START: 'InProgress', SUCCESS: 'Succeeded', FAILURE: 'Failed', STOP: 'Stopped' } as const;

export const deploymentStateChanged = (shape: StateShape, s: StateChange, at: Date): Json => {
  if (shape === 'eventbridge') {
    const e = loadEvent<Shaped<{ detail: Json }>>('codedeploy/deployment-state-change-success.json');
    e.time = seconds(at);
    Object.assign(e.detail, {
      deploymentId: s.deploymentId,
      application: s.application,
      deploymentGroup: s.group,
      state: s.state,
    });
    return e;
  }
  const e = loadEvent<{ Records: Shaped<{ Sns: Json }>[] }>('sns/codedeploy-trigger-success.json');
  const [record] = e.Records;
  if (!record || typeof record.Sns.Message !== 'string') throw new Error('sample SNS trigger has no message');
  const message = JSON.parse(record.Sns.Message) as Json;
  Object.assign(message, {
    applicationName: s.application,
    deploymentId: s.deploymentId,
    deploymentGroupName: s.group,
    status: STATUS[s.state],
  });
  record.Sns.Message = JSON.stringify(message);
  record.Sns.Timestamp = at.toISOString();
  return e;
};

/** EventBridge Scheduler's "Scheduled Event", as documented for scheduled rules invoking Lambda. */
export const scheduled = (at: Date): Json => ({
  version: '0',
  id: '53dc4d37-cffa-4f76-80c9-8b7d4a4d2eaa',
  'detail-type': 'Scheduled Event',
  source: 'aws.events',
  account: '123456789012',
  time: seconds(at),
  region: 'us-east-1',
  resources: ['arn:aws:events:us-east-1:123456789012:rule/baton-reconcile'],
  detail: {},
});

/** CloudWatch's "CloudWatch Alarm State Change" (events/cloudwatch/), for `alarm` going to `state`. */
export const alarmStateChanged = (alarm: string, state: string, at: Date): Json =>
  alarmEvent(alarm, state, `model: ${state}`, at);

/** The approval page's form POST (function URL payload 2.0), link parameters in the query string. */
export const approvalPost = (approvalId: string, token: string, decision: 'approve' | 'reject'): Json => {
  const e = loadEvent<Shaped<{ queryStringParameters: Json }>>('approval/post-approve.json');
  const query = new URLSearchParams({ approval: approvalId, token });
  e.rawQueryString = query.toString();
  e.queryStringParameters = { approval: approvalId, token };
  e.body = new URLSearchParams({ decision, comment: 'model world' }).toString();
  e.isBase64Encoded = false;
  return e;
};
