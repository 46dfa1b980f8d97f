// Lambda's Invoke on the local stand-in, through the real Lambda client (generated from Lambda's API
// model, so it reads the status code and the X-Amz-* headers where the model puts them), and Baton's
// reauditor on it: the operator's audit command reaches deployment-finished this way locally.

import { InvokeCommand, LambdaClient, ResourceNotFoundException } from '@aws-sdk/client-lambda';
import { S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalCodeDeploy, startLocalCodeDeploy } from '../../local/codedeploy';
import { AuditFunctionError, AuditOutcomeUnknownError } from '../../shared/audit/ports';
import { signReaudit } from '../../shared/audit/rules/reaudit-request';
import { lambdaReauditor } from '../../shared/aws/lambda-reauditor';
import { SAMPLE_KEY } from '../support/approvals';
import { checkOperation } from '../support/aws-model';
import { awsModel } from '../support/aws-models';

const credentials = { accessKeyId: 'testing', secretAccessKey: 'testing' };
const request = signReaudit(SAMPLE_KEY, {
  deploymentId: 'd-AUDIT0001',
  by: 'alice',
  expiresAt: 4_000_000_000,
});
const received: unknown[] = [];
let standIn: LocalCodeDeploy;
let lambda: LambdaClient;

beforeAll(async () => {
  standIn = await startLocalCodeDeploy({
    s3: new S3Client({ region: 'us-east-1', credentials }),
    functions: {
      answers: async (payload) => {
        received.push(payload);
        return { ok: true, result: { deploymentId: 'd-AUDIT0001', verdict: 'VERIFIED' } };
      },
      refuses: async () => ({ ok: false, kind: 'NotFoundError', error: 'no deployment d-AUDIT0001' }),
      throws: async () => {
        throw new TypeError('Cannot read properties of undefined');
      },
      'says-something-else': async () => ({ outcome: 'done', results: [] }),
      'is-slow': () => new Promise((resolve) => setTimeout(() => resolve({ ok: true, result: {} }), 1500)),
      // What Lambda answers for a function that ran out of its own time.
      'times-out': async () => {
        throw Object.assign(new Error('Task timed out after 60.00 seconds'), { name: 'Sandbox.Timedout' });
      },
    },
  });
  lambda = new LambdaClient({ endpoint: standIn.endpoint, region: 'us-east-1', credentials, maxAttempts: 1 });
});

afterAll(async () => {
  lambda?.destroy();
  await standIn?.stop();
});

describe("the stand-in's Invoke", () => {
  it('answers a RequestResponse call with the result, status 200 and the version that ran', async () => {
    const out = await lambda.send(
      new InvokeCommand({
        FunctionName: 'arn:aws:lambda:us-east-1:123456789012:function:answers',
        Payload: '{"a":1}',
      }),
    );
    expect(out.StatusCode).toBe(200);
    expect(out.ExecutedVersion).toBe('$LATEST');
    expect(out.FunctionError).toBeUndefined();
    expect(JSON.parse(Buffer.from(out.Payload ?? []).toString('utf8'))).toMatchObject({ ok: true });
    expect(received.at(-1)).toEqual({ a: 1 });
  });

  it("reports a function's error where the model puts it: X-Amz-Function-Error, the error in the payload", async () => {
    const member = (awsModel('lambda') as { shapes: Record<string, { members: Record<string, unknown> }> })
      .shapes.InvocationResponse?.members.FunctionError;
    expect(member).toMatchObject({ location: 'header', locationName: 'X-Amz-Function-Error' });

    const out = await lambda.send(new InvokeCommand({ FunctionName: 'throws:$LATEST', Payload: '{}' }));

    expect(out.StatusCode).toBe(200);
    expect(out.FunctionError).toBe('Unhandled');
    expect(JSON.parse(Buffer.from(out.Payload ?? []).toString('utf8'))).toMatchObject({
      errorType: 'TypeError',
      errorMessage: 'Cannot read properties of undefined',
    });
  });

  it('answers 202 to an Event call and 204 to a DryRun, as the model documents StatusCode', async () => {
    const event = await lambda.send(new InvokeCommand({ FunctionName: 'answers', InvocationType: 'Event' }));
    const dry = await lambda.send(new InvokeCommand({ FunctionName: 'answers', InvocationType: 'DryRun' }));
    expect([event.StatusCode, dry.StatusCode]).toEqual([202, 204]);
  });

  it('refuses an invocation type Lambda does not have with InvalidParameterValueException', async () => {
    const wrong = new InvokeCommand({ FunctionName: 'answers', InvocationType: 'Later' as 'Event' });
    await expect(lambda.send(wrong)).rejects.toMatchObject({ name: 'InvalidParameterValueException' });
  });

  it('refuses a function it does not run with ResourceNotFoundException', async () => {
    await expect(lambda.send(new InvokeCommand({ FunctionName: 'nobody' }))).rejects.toBeInstanceOf(
      ResourceNotFoundException,
    );
  });
});

describe('the reauditor on Lambda', () => {
  it("sends what Lambda's model allows as Invoke's input: a function name as the stack gives it, RequestResponse", async () => {
    const inputs: unknown[] = [];
    const recording = new LambdaClient({
      endpoint: standIn.endpoint,
      region: 'us-east-1',
      credentials,
      maxAttempts: 1,
    });
    recording.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === 'InvokeCommand') inputs.push(args.input);
        return next(args);
      },
      { step: 'initialize' },
    );
    try {
      await lambdaReauditor(recording, 'answers').reaudit(request);
    } finally {
      recording.destroy();
    }
    expect(inputs).toHaveLength(1);
    expect(checkOperation(awsModel('lambda'), 'Invoke', 'input', inputs[0])).toEqual([]);
    // The name the operator is given: CloudFormation's Ref of a function, baton-<stage>-deploymentFinished.
    expect(
      checkOperation(awsModel('lambda'), 'Invoke', 'input', {
        ...(inputs[0] as object),
        FunctionName: 'baton-prod-deploymentFinished',
      }),
    ).toEqual([]);
    expect(inputs[0]).toMatchObject({ FunctionName: 'answers', InvocationType: 'RequestResponse' });
  });

  it('sends the signed request as the payload and returns the answer', async () => {
    await expect(lambdaReauditor(lambda, 'answers').reaudit(request)).resolves.toEqual({
      ok: true,
      result: { deploymentId: 'd-AUDIT0001', verdict: 'VERIFIED' },
    });
    expect(received.at(-1)).toEqual(request);
    await expect(lambdaReauditor(lambda, 'refuses').reaudit(request)).resolves.toEqual({
      ok: false,
      kind: 'NotFoundError',
      error: 'no deployment d-AUDIT0001',
    });
  });

  it('fails naming the function and its error when the function throws', async () => {
    const failing = lambdaReauditor(lambda, 'throws').reaudit(request);
    await expect(failing).rejects.toBeInstanceOf(AuditFunctionError);
    await expect(failing).rejects.toThrow(
      'the audit function throws failed (Unhandled): TypeError: Cannot read properties of undefined',
    );
  });

  it('says the audit may still be recorded when no answer came in time, or the function timed out', async () => {
    const impatient = new LambdaClient({
      endpoint: standIn.endpoint,
      region: 'us-east-1',
      credentials,
      maxAttempts: 1,
      requestHandler: { requestTimeout: 200, throwOnRequestTimeout: true },
    });
    try {
      const slow = lambdaReauditor(impatient, 'is-slow', 200).reaudit(request);
      await expect(slow).rejects.toBeInstanceOf(AuditOutcomeUnknownError);
      await expect(slow).rejects.toThrow(
        'the audit function is-slow did not answer within 0.2 s; its audit of d-AUDIT0001 may still be recorded',
      );
    } finally {
      impatient.destroy();
    }
    await expect(lambdaReauditor(lambda, 'times-out').reaudit(request)).rejects.toThrow(
      'the audit function times-out timed out; its audit of d-AUDIT0001 may still be recorded',
    );
  });

  it('fails on an answer that is not a re-audit answer (another function named by mistake)', async () => {
    const other = lambdaReauditor(lambda, 'says-something-else').reaudit(request);
    await expect(other).rejects.toBeInstanceOf(AuditFunctionError);
    await expect(other).rejects.toThrow('answered something other than a re-audit answer');
  });
});
