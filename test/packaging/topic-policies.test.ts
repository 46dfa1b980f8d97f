// The approval topic carries every approver's link, the alert topic the team's reports: in the packaged
// template each is encrypted, only the roles of the functions that publish to it may publish (over TLS),
// and only the email addresses pipeline.yml names may subscribe.
import { beforeAll, describe, expect, it } from 'vitest';
import { actionsOf, asList, functionsOf, packageStack, type Template } from '../support/packaged';

interface PolicyStatement {
  Sid: string;
  Effect: string;
  Action: string | string[];
  Condition?: Record<string, Record<string, unknown>>;
}

let template: Template;

beforeAll(() => {
  template = packageStack().template;
}, 120_000);

const policyOf = (topic: string) => {
  const found = Object.values(template.Resources).find(
    (r) =>
      r.Type === 'AWS::SNS::TopicPolicy' &&
      JSON.stringify(r.Properties.Topics) === JSON.stringify([{ Ref: topic }]),
  );
  const document = found?.Properties.PolicyDocument as { Statement: PolicyStatement[] } | undefined;
  return document?.Statement ?? [];
};

/** Role ARNs (as Fn::GetAtt) of the functions whose own statements allow sns:Publish on the topic. */
const publishingRoles = (topic: string) =>
  functionsOf(template)
    .filter((f) =>
      f.statements.some(
        (s) =>
          actionsOf(s).includes('sns:Publish') && JSON.stringify(asList(s.Resource)).includes(`"${topic}"`),
      ),
    )
    .map((f) => ({ 'Fn::GetAtt': [f.roleId, 'Arn'] }));

const emailSubscribers = (topic: string) =>
  Object.values(template.Resources)
    .filter((r) => r.Type === 'AWS::SNS::Subscription')
    .filter((r) => JSON.stringify(r.Properties.TopicArn) === JSON.stringify({ Ref: topic }))
    .map((r) => String(r.Properties.Endpoint));

const sorted = (list: unknown) => [...asList(list)].map((x) => JSON.stringify(x)).sort();

describe.each(['ApprovalTopic', 'AlertTopic'])('%s', (topic) => {
  it('is encrypted at rest with the AWS managed SNS key (email delivery works with it)', () => {
    expect(template.Resources[topic]?.Properties.KmsMasterKeyId).toBe('alias/aws/sns');
  });

  it("denies Publish to every principal but the publishing functions' roles, and without TLS", () => {
    const statements = policyOf(topic);
    const onlyRoles = statements.find((s) => s.Sid === 'PublishOnlyBatonFunctions');
    expect(onlyRoles).toMatchObject({ Effect: 'Deny', Action: 'sns:Publish' });
    const roles = publishingRoles(topic);
    expect(roles.length).toBeGreaterThan(0);
    expect(sorted(onlyRoles?.Condition?.ArnNotEquals?.['aws:PrincipalArn'])).toEqual(sorted(roles));
    expect(statements.find((s) => s.Sid === 'PublishOnlyOverTls')?.Condition).toEqual({
      Bool: { 'aws:SecureTransport': 'false' },
    });
  });

  it('denies Subscribe to anything but email to the addresses pipeline.yml names', () => {
    const statements = policyOf(topic);
    const byEmail = statements.find((s) => s.Sid === 'SubscribeOnlyByEmail');
    const addresses = statements.find((s) => s.Sid === 'SubscribeOnlyConfiguredAddresses');
    for (const s of [byEmail, addresses])
      expect(s).toMatchObject({ Effect: 'Deny', Action: 'sns:Subscribe' });
    expect(byEmail?.Condition).toEqual({ StringNotEquals: { 'sns:Protocol': 'email' } });
    const subscribers = emailSubscribers(topic);
    expect(subscribers.length).toBeGreaterThan(0);
    expect(sorted(addresses?.Condition?.StringNotEquals?.['sns:Endpoint'])).toEqual(sorted(subscribers));
  });
});
