// Who is calling the secrets URL. With AuthType AWS_IAM, Lambda verifies the SigV4 signature and puts
// the signer in requestContext.authorizer.iam; an EC2 instance-profile session signs as
// arn:aws:sts::ACCOUNT:assumed-role/ROLE/i-0123456789abcdef0 (the session name is the instance id).
// Shape: https://docs.aws.amazon.com/lambda/latest/dg/urls-invocation.html#urls-request-payload

export interface IamIdentity {
  userArn?: string | null;
  accountId?: string | null;
}

export interface Caller {
  account: string;
  role: string;
  instanceId: string;
}

export type CallerReading = { ok: true; caller: Caller } | { ok: false; reason: string };

// Role names: 1-64 of [\w+=,.@-] (IAM); assumed-role ARNs carry the name without the role's path.
// Any partition (aws, aws-cn, aws-us-gov, aws-iso-e, aws-eusc, …): partitions are AWS's to add.
const ASSUMED_ROLE =
  /^arn:aws(?:-[a-z]+)*:sts::(\d{12}):assumed-role\/([\w+=,.@-]{1,64})\/([\w+=,.@-]{2,64})$/;
// EC2 ids are i- and 8 or 17 hex digits; the local CodeDeploy's instances are i-0local<hex>.
const INSTANCE_ID = /^i-[0-9a-z]{8,32}$/;

/** The assumed-role ARN of an instance-profile session (also what the local router hands the handler). */
export const instanceSessionArn = (account: string, role: string, instanceId: string): string =>
  `arn:aws:sts::${account}:assumed-role/${role}/${instanceId}`;

/**
 * The account that owns the function, from its own ARN (`context.invokedFunctionArn`,
 * arn:PARTITION:lambda:REGION:ACCOUNT:function:NAME[:QUALIFIER]). Not requestContext.accountId: for a
 * function URL that field describes the caller's side ("anonymous" with auth NONE in AWS's own example
 * payload), so a caller from another account would compare equal to itself.
 */
export const functionAccountOf = (invokedFunctionArn: string | undefined): string => {
  const account = invokedFunctionArn?.split(':')[4] ?? '';
  if (!/^\d{12}$/.test(account))
    throw new Error(`the context's invokedFunctionArn is not a Lambda function ARN: ${invokedFunctionArn}`);
  return account;
};

/**
 * Reads the caller from the verified IAM identity. `functionAccount` is the account that owns the
 * function (functionAccountOf): callers from other accounts are refused even if a resource policy were
 * to let them in.
 */
export const readCaller = (iam: IamIdentity | undefined | null, functionAccount: string): CallerReading => {
  const arn = iam?.userArn;
  if (!arn) return { ok: false, reason: 'the request was not signed with AWS credentials' };
  const match = ASSUMED_ROLE.exec(arn);
  if (!match) return { ok: false, reason: 'the caller is not an assumed-role session (instance profile)' };
  const [, account = '', role = '', session = ''] = match;
  if (!INSTANCE_ID.test(session))
    return { ok: false, reason: `the session of role ${role} is not named after an EC2 instance id` };
  if (iam?.accountId && iam.accountId !== account)
    return { ok: false, reason: 'the caller account does not match its ARN' };
  if (account !== functionAccount)
    return { ok: false, reason: `the caller belongs to account ${account}, not to the pipeline's account` };
  return { ok: true, caller: { account, role, instanceId: session } };
};
