// Reauditor on AWS Lambda: the audit function (deployment-finished) invoked synchronously
// (InvocationType RequestResponse) with the signed request; its answer is the response payload. A
// function error (X-Amz-Function-Error, the payload then Lambda's { errorType, errorMessage }) fails
// the command, naming it.
import { InvokeCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import type { Reauditor } from '../audit/ports';
import { reauditAnswerSchema } from '../audit/rules/reaudit-request';

const text = (payload: Uint8Array | undefined) => (payload ? Buffer.from(payload).toString('utf8') : '');

const parse = (body: string): unknown => {
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
};

export const lambdaReauditor = (client: LambdaClient, functionName: string): Reauditor => ({
  async reaudit(request) {
    const out = await client.send(
      new InvokeCommand({
        FunctionName: functionName,
        InvocationType: 'RequestResponse',
        Payload: Buffer.from(JSON.stringify(request), 'utf8'),
      }),
    );
    const body = parse(text(out.Payload));
    if (out.FunctionError) {
      const said = body as { errorType?: unknown; errorMessage?: unknown } | undefined;
      throw new Error(
        `the audit function ${functionName} failed (${out.FunctionError}): ${String(said?.errorType ?? 'error')}: ${String(said?.errorMessage ?? '')}`,
      );
    }
    const answer = reauditAnswerSchema.safeParse(body);
    if (!answer.success)
      throw new Error(`the audit function ${functionName} answered something other than a re-audit answer`);
    return answer.data;
  },
});
