// A deployed stage: the operator function, invoked through the Lambda API with the caller's own AWS
// credentials (the SDK's default provider chain, or --profile).
import {
  InvokeCommand,
  LambdaClient,
  LambdaServiceException,
  ResourceNotFoundException,
  TooManyRequestsException,
} from '@aws-sdk/client-lambda';
import { OperatorFailed, systemCode, UnreachableError } from '../errors';
import { type Answer, functionErrorSchema, readAnswer } from './answer';

export interface LambdaTarget {
  functionName: string;
  region?: string;
  profile?: string;
}

/** Commands that only read: safe to retry. The others are sent once (an SDK retry could run them twice). */
const READ_ONLY = new Set(['status', 'releases', 'approvals', 'secrets-check']);

const decode = (payload: Uint8Array | undefined): unknown => {
  const text = payload ? new TextDecoder().decode(payload) : '';
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
};

const where = (t: LambdaTarget, region: string | undefined) =>
  `${t.functionName}${region ? ` in ${region}` : ''}`;

/** What went wrong, and what to do about it. */
export const explainInvokeError = (error: unknown, t: LambdaTarget, region?: string): UnreachableError => {
  const fn = where(t, region);
  const said = error instanceof Error ? error.message : String(error);
  if (error instanceof ResourceNotFoundException)
    return new UnreachableError(
      `there is no function ${fn}: is the stack deployed? check --stage and --region (or --function)`,
      { cause: error },
    );
  if (error instanceof TooManyRequestsException)
    return new UnreachableError(`Lambda throttled the call to ${fn}: try again in a moment`, {
      cause: error,
    });
  // Invoke does not model these errors: the SDK gives them as LambdaServiceException by name.
  if (error instanceof LambdaServiceException && error.name === 'AccessDeniedException')
    return new UnreachableError(
      `your AWS identity may not invoke ${fn}: it needs lambda:InvokeFunction on ` +
        `arn:aws:lambda:${region ?? '<region>'}:<account>:function:${t.functionName} (AWS said: ${said})`,
      { cause: error },
    );
  if (
    error instanceof LambdaServiceException &&
    ['UnrecognizedClientException', 'InvalidSignatureException', 'ExpiredTokenException'].includes(error.name)
  )
    return new UnreachableError(
      `AWS refused your credentials (${error.name}): refresh them (aws sso login, aws configure) or pass --profile`,
      { cause: error },
    );
  // The credential chain and the region resolver throw plain errors: their names are all there is.
  if (error instanceof Error && error.name === 'CredentialsProviderError')
    return new UnreachableError(
      'no AWS credentials found: set AWS_PROFILE or pass --profile, or run aws configure / aws sso login',
      { cause: error },
    );
  if (error instanceof Error && /region is missing/i.test(error.message))
    return new UnreachableError('no AWS region: pass --region or set AWS_REGION', { cause: error });
  const code = systemCode(error);
  if (code)
    return new UnreachableError(`could not reach the Lambda API for ${fn} (${code}): check your network`, {
      cause: error,
    });
  const name = error instanceof Error ? error.name : 'error';
  return new UnreachableError(`could not invoke ${fn}: ${name}: ${said}`, { cause: error });
};

export const invokeLambda = async (
  target: LambdaTarget,
  event: Record<string, unknown>,
  client = new LambdaClient({
    ...(target.region ? { region: target.region } : {}),
    ...(target.profile ? { profile: target.profile } : {}),
    maxAttempts: READ_ONLY.has(String(event.command)) ? 3 : 1,
  }),
): Promise<Answer> => {
  let region: string | undefined = target.region;
  try {
    region ??= await client.config.region();
  } catch {
    // Reported by send() below with the rest of the configuration problems.
  }
  const response = await client
    .send(
      new InvokeCommand({
        FunctionName: target.functionName,
        InvocationType: 'RequestResponse',
        Payload: new TextEncoder().encode(JSON.stringify(event)),
      }),
    )
    .catch((error: unknown) => {
      throw explainInvokeError(error, target, region);
    });
  const body = decode(response.Payload);
  if (response.FunctionError) {
    const failure = functionErrorSchema.safeParse(body);
    const detail = failure.success
      ? [failure.data.errorType, failure.data.errorMessage].filter(Boolean).join(': ')
      : 'no error document';
    throw new OperatorFailed(
      `the operator function failed (${response.FunctionError}): ${detail || 'no message'}\n` +
        `its logs: aws logs tail /aws/lambda/${target.functionName} --since 15m${region ? ` --region ${region}` : ''}`,
    );
  }
  const answer = readAnswer(body);
  if (!answer)
    throw new UnreachableError(
      `${where(target, region)} did not answer as Baton's operator does: is --function the operator function?`,
    );
  return answer;
};
