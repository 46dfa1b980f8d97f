// Reading the caller of the secrets URL from the IAM identity Lambda verified.
// Shape: https://docs.aws.amazon.com/lambda/latest/dg/urls-invocation.html#urls-request-payload
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { instanceSessionArn, readCaller } from '../../shared/secrets/rules/caller';

const ACCOUNT = '123456789012';

describe('the secrets caller', () => {
  it('is the role and instance of an EC2 instance-profile session', () => {
    const iam = {
      userArn: `arn:aws:sts::${ACCOUNT}:assumed-role/baton-web-instance/i-0123456789abcdef0`,
      accountId: ACCOUNT,
    };
    expect(readCaller(iam, ACCOUNT)).toEqual({
      ok: true,
      caller: { account: ACCOUNT, role: 'baton-web-instance', instanceId: 'i-0123456789abcdef0' },
    });
  });

  it('accepts short instance ids, other partitions and the local instances', () => {
    expect(
      readCaller({ userArn: `arn:aws-cn:sts::${ACCOUNT}:assumed-role/r/i-0123abcd` }, ACCOUNT),
    ).toMatchObject({
      ok: true,
      caller: { role: 'r', instanceId: 'i-0123abcd' },
    });
    for (const partition of ['aws-us-gov', 'aws-iso-e', 'aws-eusc'])
      expect(
        readCaller({ userArn: `arn:${partition}:sts::${ACCOUNT}:assumed-role/r/i-0123abcd` }, ACCOUNT).ok,
        partition,
      ).toBe(true);
    const local = instanceSessionArn('000000000000', 'baton-web-instance', 'i-0local1a2b3c4d01');
    expect(readCaller({ userArn: local }, '000000000000')).toMatchObject({
      ok: true,
      caller: { instanceId: 'i-0local1a2b3c4d01' },
    });
  });

  it.each([
    [undefined, 'the request was not signed with AWS credentials'],
    [{ userArn: null }, 'the request was not signed with AWS credentials'],
    [
      { userArn: `arn:aws:iam::${ACCOUNT}:user/alice` },
      'the caller is not an assumed-role session (instance profile)',
    ],
    [
      { userArn: `arn:aws:iam::${ACCOUNT}:role/baton-web-instance` },
      'the caller is not an assumed-role session (instance profile)',
    ],
    [
      { userArn: `arn:aws:sts::${ACCOUNT}:assumed-role/baton-web-instance/alice` },
      'the session of role baton-web-instance is not named after an EC2 instance id',
    ],
    [
      {
        userArn: `arn:aws:sts::${ACCOUNT}:assumed-role/baton-web-instance/i-0123456789abcdef0`,
        accountId: '210987654321',
      },
      'the caller account does not match its ARN',
    ],
    [
      { userArn: 'arn:aws:sts::210987654321:assumed-role/baton-web-instance/i-0123456789abcdef0' },
      "the caller belongs to account 210987654321, not to the pipeline's account",
    ],
  ])('refuses %j', (iam, reason) => {
    expect(readCaller(iam, ACCOUNT)).toEqual({ ok: false, reason });
  });

  it('never throws, whatever the ARN', () => {
    fc.assert(
      fc.property(fc.string(), fc.option(fc.string()), (userArn, accountId) => {
        const reading = readCaller({ userArn, accountId }, ACCOUNT);
        expect(typeof reading.ok).toBe('boolean');
      }),
    );
  });

  it('reads back what instanceSessionArn builds', () => {
    const roles = fc.stringMatching(/^[\w+=,.@-]{1,64}$/);
    const instances = fc.stringMatching(/^i-[0-9a-f]{17}$/);
    fc.assert(
      fc.property(roles, instances, (role, instanceId) => {
        expect(readCaller({ userArn: instanceSessionArn(ACCOUNT, role, instanceId) }, ACCOUNT)).toEqual({
          ok: true,
          caller: { account: ACCOUNT, role, instanceId },
        });
      }),
    );
  });
});
