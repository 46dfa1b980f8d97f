// Reauditor on AWS Lambda: the audit function (deployment-finished) invoked synchronously
// (InvocationType RequestResponse) with the signed request; its answer is the response payload. A
// function error (X-Amz-Function-Error, the payload then Lambda's { errorType, errorMessage }) fails
// the command as AuditFunctionError, naming the function whose log says why. No answer in time (the
// wait passed, or the function's own timeout: Sandbox.Timedout) is AuditOutcomeUnknownError: the
// audit may still be recorded, and the caller is told where to look.
import { InvokeCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { AuditFunctionError, AuditOutcomeUnknownError, type Reauditor } from '../audit/ports';
import { reauditAnswerSchema } from '../audit/rules/reaudit-request';
import { jsonOrUndefined } from '../core/rules/parse';
import { REAUDIT_WAIT_MS } from './lambda-invoker';

export const lambdaReauditor = (
  client: LambdaClient,
  functionName: string,
  waitMs = REAUDIT_WAIT_MS,
): Reauditor => ({
  async reaudit(request) {
    const { deploymentId } = request.reaudit;
    const unknown = (why: string) =>
      new AuditOutcomeUnknownError(
        `the audit function ${functionName} ${why}; its audit of ${deploymentId} may still be recorded: ` +
          `see baton watch --deployment-id ${deploymentId}, then run baton audit again if it is not`,
      );
    const out = await client
      .send(
        new InvokeCommand({
          FunctionName: functionName,
          InvocationType: 'RequestResponse',
          Payload: Buffer.from(JSON.stringify(request), 'utf8'),
        }),
      )
      .catch((error: unknown) => {
        if (error instanceof Error && error.name === 'TimeoutError')
          throw unknown(`did not answer within ${waitMs / 1000} s`);
        throw error;
      });
    const body = jsonOrUndefined(out.Payload?.transformToString() ?? '');
    if (out.FunctionError) {
      const said = body as { errorType?: unknown; errorMessage?: unknown } | undefined;
      if (said?.errorType === 'Sandbox.Timedout') throw unknown('timed out');
      throw new AuditFunctionError(
        `the audit function ${functionName} failed (${out.FunctionError}): ${String(said?.errorType ?? 'error')}: ${String(said?.errorMessage ?? '')}`,
      );
    }
    const answer = reauditAnswerSchema.safeParse(body);
    if (!answer.success)
      throw new AuditFunctionError(
        `the audit function ${functionName} answered something other than a re-audit answer`,
      );
    return answer.data;
  },
});
