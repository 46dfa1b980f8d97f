// `baton … --stage`: the operator function invoked through the Lambda API (mocked here), its answer
// decoded and printed, and every way the call can fail turned into what to do next.
// Invoke: https://docs.aws.amazon.com/lambda/latest/api/API_Invoke.html (Payload bytes, FunctionError);
// the error document of a Node.js function: https://docs.aws.amazon.com/lambda/latest/dg/nodejs-exceptions.html
import {
  InvokeCommand,
  type InvokeCommandOutput,
  LambdaClient,
  LambdaServiceException,
  ResourceNotFoundException,
  TooManyRequestsException,
} from '@aws-sdk/client-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-vitest/extend';
import { beforeEach, describe, expect, it } from 'vitest';
import { run } from '../../cli/main';
import type { Io } from '../../cli/output';

const lambda = mockClient(LambdaClient);
const STAGE = '--stage prod --region eu-west-1';
const FUNCTION = 'baton-prod-operator';

/** A response Payload as the SDK hands it over: the bytes, and the SDK's way to read them as text. */
const payload = (value: unknown): InvokeCommandOutput['Payload'] =>
  Object.assign(new TextEncoder().encode(JSON.stringify(value)), {
    transformToString: () => JSON.stringify(value),
  });

/** A command line as typed (`"…"` keeps words together). */
const baton = async (line: string) => {
  const argv = (line.match(/"[^"]*"|\S+/g) ?? []).map((w) => w.replace(/^"(.*)"$/, '$1'));
  const out: string[] = [];
  const err: string[] = [];
  const io: Io = {
    out: (t) => out.push(t),
    err: (t) => err.push(t),
    env: { BATON_OPERATOR: 'alice' },
    now: () => new Date('2026-11-20T18:00:00.000Z'),
  };
  const code = await run(argv, io);
  return { code, stdout: out.join(''), stderr: err.join('') };
};

const sentEvent = () => {
  const sent = lambda.commandCalls(InvokeCommand)[0]?.args[0].input.Payload;
  return sent instanceof Uint8Array ? JSON.parse(new TextDecoder().decode(sent)) : undefined;
};

const STATUS = {
  application: 'web',
  environments: [
    {
      environment: 'dev',
      deploymentGroup: 'web-dev',
      latest: {
        deploymentId: 'd-7Q4BZ2K1X',
        commit: '3f786850e387550fdab836ed7e6dc881de23001b',
        cause: 'artifact for a push to main',
        createdAt: '2026-11-20T17:40:00.000Z',
        verdict: 'VERIFIED',
      },
      queued: [],
    },
  ],
};

const serviceError = (name: string, message: string, status = 403) =>
  new LambdaServiceException({ name, $fault: 'client', message, $metadata: { httpStatusCode: status } });

beforeEach(() => {
  lambda.reset();
});

describe('baton against a deployed stage', () => {
  it('invokes baton-<stage>-operator with the command and prints the table of its result', async () => {
    // Prepare
    lambda.on(InvokeCommand).resolves({ StatusCode: 200, Payload: payload({ ok: true, result: STATUS }) });
    // Act
    const { code, stdout, stderr } = await baton(`status --app web ${STAGE}`);
    // Assess
    expect(code).toBe(0);
    expect(stderr).toBe('');
    expect(lambda).toHaveReceivedCommandWith(InvokeCommand, {
      FunctionName: FUNCTION,
      InvocationType: 'RequestResponse',
    });
    expect(sentEvent()).toEqual({ command: 'status', application: 'web' });
    expect(stdout).toContain('dev          d-7Q4BZ2K1X 3f78685  VERIFIED  2026-11-20 17:40Z');
  });

  it('prints the raw result with --json, and sends the operator name with commands that record it', async () => {
    lambda.on(InvokeCommand).resolves({
      StatusCode: 200,
      Payload: payload({
        ok: true,
        result: { outcome: 'started', requestId: 'r1', deploymentId: 'd-7Q4BZ2K1X' },
      }),
    });
    const { code, stdout } = await baton(`deploy --app web --env dev --commit 3f78685 --json ${STAGE}`);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual({ outcome: 'started', requestId: 'r1', deploymentId: 'd-7Q4BZ2K1X' });
    expect(sentEvent()).toEqual({
      command: 'deploy',
      application: 'web',
      environment: 'dev',
      commit: '3f78685',
      operator: 'alice',
    });
  });

  it('invokes the function --function names', async () => {
    lambda
      .on(InvokeCommand)
      .resolves({ StatusCode: 200, Payload: payload({ ok: true, result: { approvals: [] } }) });
    const { code, stdout } = await baton(`approvals --function my-baton-operator --region eu-west-1`);
    expect(code).toBe(0);
    expect(stdout).toBe('No approvals are waiting for a decision.\n');
    expect(lambda).toHaveReceivedCommandWith(InvokeCommand, { FunctionName: 'my-baton-operator' });
  });

  it('exits 1 when the operator refuses, naming the field as its flag, with the help hint', async () => {
    lambda.on(InvokeCommand).resolves({
      StatusCode: 200,
      Payload: payload({
        ok: false,
        kind: 'ValidationError',
        error: 'reason: required when force is true (it is kept on the release timeline)',
      }),
    });
    const { code, stdout, stderr } = await baton(
      `promote --app web --release v1.2.0 --env production --force ${STAGE}`,
    );
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toBe(
      [
        'baton promote: the operator refused the command:',
        '  --reason: required when force is true (it is kept on the release timeline)',
        'Flags: baton promote --help',
        '',
      ].join('\n'),
    );
  });

  it('exits 1 with the operator message for other refusals, and prints the answer with --json', async () => {
    const refusal = { ok: false, kind: 'NotFoundError', error: 'web has no release v9.9.9' };
    lambda.on(InvokeCommand).resolves({ StatusCode: 200, Payload: payload(refusal) });
    const human = await baton(`releases --app web --release v9.9.9 ${STAGE}`);
    const script = await baton(`releases --app web --release v9.9.9 --json ${STAGE}`);
    expect(human).toEqual({
      code: 1,
      stdout: '',
      stderr: 'baton releases: refused (NotFoundError): web has no release v9.9.9\n',
    });
    expect(script.code).toBe(1);
    expect(JSON.parse(script.stdout)).toEqual(refusal);
  });

  it.each([
    [
      {
        errorType: 'TypeError',
        errorMessage: "Cannot read properties of undefined (reading 'x')",
        trace: ['…'],
      },
      "the operator function failed (Unhandled): TypeError: Cannot read properties of undefined (reading 'x')",
    ],
    [
      { errorMessage: '2026-11-20T18:00:00.000Z 1a2b Task timed out after 60.00 seconds' },
      'the operator function failed (Unhandled): 2026-11-20T18:00:00.000Z 1a2b Task timed out after 60.00 seconds',
    ],
  ])(
    'exits 1 on a function error, printing its message and where its logs are',
    async (document, message) => {
      lambda
        .on(InvokeCommand)
        .resolves({ StatusCode: 200, FunctionError: 'Unhandled', Payload: payload(document) });
      const { code, stderr } = await baton(`status --app web ${STAGE}`);
      expect(code).toBe(1);
      expect(stderr).toBe(
        `baton status: ${message}\nits logs: aws logs tail /aws/lambda/${FUNCTION} --since 15m --region eu-west-1\n`,
      );
    },
  );

  it.each([
    [
      serviceError(
        'AccessDeniedException',
        `User: arn:aws:iam::123456789012:user/alice is not authorized to perform: lambda:InvokeFunction on resource: arn:aws:lambda:eu-west-1:123456789012:function:${FUNCTION} because no identity-based policy allows the lambda:InvokeFunction action`,
      ),
      `your AWS identity may not invoke ${FUNCTION} in eu-west-1: it needs lambda:InvokeFunction on arn:aws:lambda:eu-west-1:<account>:function:${FUNCTION}`,
    ],
    [
      new ResourceNotFoundException({
        message: `Function not found: arn:aws:lambda:eu-west-1:123456789012:function:${FUNCTION}`,
        $metadata: { httpStatusCode: 404 },
      }),
      `there is no function ${FUNCTION} in eu-west-1: is the stack deployed? check --stage and --region (or --function)`,
    ],
    [
      new TooManyRequestsException({ message: 'Rate Exceeded.', $metadata: { httpStatusCode: 429 } }),
      `Lambda throttled the call to ${FUNCTION} in eu-west-1: try again in a moment`,
    ],
    [
      serviceError('ExpiredTokenException', 'The security token included in the request is expired'),
      'AWS refused your credentials (ExpiredTokenException): refresh them (aws sso login, aws configure) or pass --profile',
    ],
    [
      Object.assign(new Error('Could not load credentials from any providers'), {
        name: 'CredentialsProviderError',
      }),
      'no AWS credentials found: set AWS_PROFILE or pass --profile, or run aws configure / aws sso login',
    ],
    [
      Object.assign(new Error('getaddrinfo ENOTFOUND lambda.eu-west-1.amazonaws.com'), { code: 'ENOTFOUND' }),
      `could not reach the Lambda API for ${FUNCTION} in eu-west-1 (ENOTFOUND): check your network`,
    ],
  ])('exits 3 when the function cannot be invoked: %s', async (error, message) => {
    lambda.on(InvokeCommand).rejects(error);
    const { code, stdout, stderr } = await baton(`status --app web ${STAGE}`);
    expect(code).toBe(3);
    expect(stdout).toBe('');
    expect(stderr).toContain(`baton status: ${message}`);
  });

  it('exits 3 when the function answers unlike the operator', async () => {
    lambda
      .on(InvokeCommand)
      .resolves({ StatusCode: 200, Payload: payload({ statusCode: 200, body: 'hello' }) });
    const { code, stderr } = await baton(`status --app web ${STAGE}`);
    expect(code).toBe(3);
    expect(stderr).toBe(
      `baton status: ${FUNCTION} in eu-west-1 did not answer as Baton's operator does: is --function the operator function?\n`,
    );
  });

  it('prints JSON, with a note, for a result the CLI has no table for', async () => {
    lambda.on(InvokeCommand).resolves({
      StatusCode: 200,
      Payload: payload({ ok: true, result: { application: 'web', environments: 'new shape' } }),
    });
    const { code, stdout, stderr } = await baton(`status --app web ${STAGE}`);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual({ application: 'web', environments: 'new shape' });
    expect(stderr).toContain('this result has a shape the CLI does not know');
  });

  it('exits 2 on a usage error without calling anything', async () => {
    const { code, stderr } = await baton(`status --app web --limit 3 ${STAGE}`);
    expect(code).toBe(2);
    expect(stderr).toBe(
      'baton status: unknown flag --limit for status (its flags: --application)\nSee: baton status --help\n',
    );
    expect(lambda.commandCalls(InvokeCommand)).toHaveLength(0);
  });
});
