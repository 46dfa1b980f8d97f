// Plays CodeCommit for the local stack: a push becomes the event AWS would deliver, in either shape
// (events/eventbridge/codecommit-*.json or the repository trigger of events/codecommit/*.json).
import { randomUUID } from 'node:crypto';

export interface Push {
  repository: string;
  /** `branch` or `tag`. */
  type: 'branch' | 'tag';
  name: string;
  commit: string;
  oldCommit?: string;
  shape?: 'eventbridge' | 'trigger';
}

const ARN = (repository: string) => `arn:aws:codecommit:us-east-1:123456789012:${repository}`;

export const pushEvent = (push: Push, at = new Date()) => {
  const fullName = `refs/${push.type === 'branch' ? 'heads' : 'tags'}/${push.name}`;
  if (push.shape === 'trigger')
    return {
      Records: [
        {
          awsRegion: 'us-east-1',
          codecommit: {
            references: [
              { commit: push.commit, ref: fullName, ...(push.oldCommit ? {} : { created: true }) },
            ],
          },
          customData: null,
          eventId: randomUUID(),
          eventName: 'ReferenceChanges',
          eventPartNumber: 1,
          eventSource: 'aws:codecommit',
          eventSourceARN: ARN(push.repository),
          eventTime: at.toISOString().replace('Z', '+0000'),
          eventTotalParts: 1,
          eventTriggerConfigId: randomUUID(),
          eventTriggerName: 'baton',
          eventVersion: '1.0',
          userIdentityARN: 'arn:aws:iam::123456789012:user/local',
        },
      ],
    };
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'CodeCommit Repository State Change',
    source: 'aws.codecommit',
    account: '123456789012',
    time: at.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    region: 'us-east-1',
    resources: [ARN(push.repository)],
    detail: {
      callerUserArn: 'arn:aws:iam::123456789012:user/local',
      commitId: push.commit,
      event: push.oldCommit ? 'referenceUpdated' : 'referenceCreated',
      ...(push.oldCommit ? { oldCommitId: push.oldCommit } : {}),
      referenceFullName: fullName,
      referenceName: push.name,
      referenceType: push.type,
      repositoryName: push.repository,
      repositoryId: '00000000-0000-0000-0000-000000000000',
    },
  };
};
