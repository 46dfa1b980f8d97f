// A deployed stage: its operator function URL (AuthType AWS_IAM), read from the stack's outputs and
// called with a SigV4 signature of the caller's own credentials (the SDK's default chain, or --profile),
// so that the operator records who asked as IAM proved it.
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { READ_COMMANDS } from '../../shared/operator/permissions';
import { OperatorFailedError, systemCode, UnreachableError } from '../errors';
import { type Answer, readAnswer } from './answer';
import { type Signing, signedHeaders } from './sign';

export interface UrlTarget {
  stage?: string;
  /** The operator URL itself, instead of the stage's stack output. */
  url?: string;
  region?: string;
  profile?: string;
}

/** The stack output serverless.yml gives the operator URL. */
export const OPERATOR_URL_OUTPUT = 'OperatorUrl';
// osls names the stack <service>-<stage> and the function <service>-<stage>-<function key>.
const stackOf = (t: UrlTarget) => `baton-${t.stage ?? 'dev'}`;

/** What went wrong before the operator answered, and what to do about it. */
export const explainSetupError = (error: unknown, where: string): UnreachableError => {
  const name = error instanceof Error ? error.name : 'error';
  const said = error instanceof Error ? error.message : String(error);
  if (/does not exist/.test(said))
    return new UnreachableError(
      `there is no stack ${where}: is the stage deployed? check --stage and --region`,
    );
  if (name === 'CredentialsProviderError')
    return new UnreachableError(
      'no AWS credentials found: set AWS_PROFILE or pass --profile, or run aws configure / aws sso login',
      { cause: error },
    );
  if (/region is missing/i.test(said))
    return new UnreachableError('no AWS region: pass --region or set AWS_REGION', { cause: error });
  const code = systemCode(error);
  if (code)
    return new UnreachableError(`could not reach ${where} (${code}): check your network`, { cause: error });
  return new UnreachableError(`could not reach ${where}: ${name}: ${said}`, { cause: error });
};

const operatorUrlOf = async (cfn: CloudFormationClient, stack: string): Promise<string> => {
  const { Stacks = [] } = await cfn.send(new DescribeStacksCommand({ StackName: stack }));
  const url = Stacks[0]?.Outputs?.find((o) => o.OutputKey === OPERATOR_URL_OUTPUT)?.OutputValue;
  if (!url)
    throw new UnreachableError(
      `the stack ${stack} has no ${OPERATOR_URL_OUTPUT} output: deploy this version of Baton to it first`,
    );
  return url;
};

const parse = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
};

const refusedByAws = (status: number, body: unknown, t: UrlTarget): UnreachableError => {
  const said = typeof body === 'object' && body !== null ? Object.values(body).map(String).join(' ') : '';
  return new UnreachableError(
    `AWS refused the call to the operator URL (HTTP ${status}${said ? `: ${said}` : ''}): your identity ` +
      `needs lambda:InvokeFunctionUrl and lambda:InvokeFunction (through the URL) on baton-${t.stage ?? '<stage>'}-operator ` +
      "(the stack's OperatorInvokePolicy grants both), with fresh credentials (aws sso login, --profile)",
  );
};

export const invokeUrl = async (
  target: UrlTarget,
  event: Record<string, unknown>,
  cfn = new CloudFormationClient({
    ...(target.region ? { region: target.region } : {}),
    ...(target.profile ? { profile: target.profile } : {}),
  }),
  send: typeof fetch = fetch,
): Promise<Answer> => {
  const where = target.url ?? `${stackOf(target)}${target.region ? ` in ${target.region}` : ''}`;
  const body = JSON.stringify(event);
  // Commands that only read are safe to send again; the others are sent once.
  const attempts = READ_COMMANDS.has(String(event.command)) ? 3 : 1;
  let response: Response | undefined;
  try {
    const url = new URL(target.url ?? (await operatorUrlOf(cfn, stackOf(target))));
    const signing: Signing = {
      region: await cfn.config.region(),
      credentials: cfn.config.credentials,
      sha256: cfn.config.sha256,
    };
    for (let i = 1; i <= attempts && (!response || response.status >= 500); i += 1) {
      const headers = await signedHeaders(url, body, signing);
      const { host: _, ...sent } = headers;
      response = await send(url, { method: 'POST', headers: sent, body }).catch((error: unknown) => {
        if (i < attempts) return undefined;
        throw error;
      });
    }
  } catch (error) {
    throw error instanceof UnreachableError ? error : explainSetupError(error, where);
  }
  if (!response) throw new UnreachableError(`could not reach the operator URL of ${where}`);
  const parsed = parse(await response.text());
  const answer = readAnswer(parsed);
  if (answer) return answer;
  if (response.status === 401 || response.status === 403) throw refusedByAws(response.status, parsed, target);
  if (response.status >= 500)
    throw new OperatorFailedError(
      `the operator function failed (HTTP ${response.status})\n` +
        `its logs: aws logs tail /aws/lambda/baton-${target.stage ?? '<stage>'}-operator --since 15m`,
    );
  throw new UnreachableError(`${where} did not answer as Baton's operator does (HTTP ${response.status})`);
};
