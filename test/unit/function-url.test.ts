// The loopback server for function URL handlers: HTTP in, the documented payload 2.0 event out
// (https://docs.aws.amazon.com/lambda/latest/dg/urls-invocation.html), and the result back as HTTP.
import { afterEach, describe, expect, it } from 'vitest';
import { type FunctionUrlEvent, type ServedFunctionUrl, serveFunctionUrl } from '../../local/function-url';

let served: ServedFunctionUrl | undefined;
afterEach(async () => {
  await served?.close();
  served = undefined;
});

describe('local function URL server', () => {
  it('turns a form POST into a function URL event and the handler result into the response', async () => {
    // Prepare
    const events: FunctionUrlEvent[] = [];
    served = await serveFunctionUrl(async (event) => {
      events.push(event);
      return { statusCode: 201, headers: { 'x-seen': 'yes', 'content-type': 'text/plain' }, body: 'made' };
    });
    // Act
    const res = await fetch(`${served.url}approve/here?approval=abc&token=a1.x.y&approval=second`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'user-agent': 'test-agent/1.0' },
      body: 'decision=approve&comment=ok%21',
    });
    // Assess
    expect(res.status).toBe(201);
    expect(res.headers.get('x-seen')).toBe('yes');
    expect(await res.text()).toBe('made');
    const [event] = events;
    expect(event).toMatchObject({
      version: '2.0',
      routeKey: '$default',
      rawPath: '/approve/here',
      rawQueryString: 'approval=abc&token=a1.x.y&approval=second',
      queryStringParameters: { approval: 'abc,second', token: 'a1.x.y' },
      isBase64Encoded: true,
      requestContext: {
        accountId: 'anonymous',
        routeKey: '$default',
        stage: '$default',
        http: {
          method: 'POST',
          path: '/approve/here',
          protocol: 'HTTP/1.1',
          sourceIp: '127.0.0.1',
          userAgent: 'test-agent/1.0',
        },
      },
    });
    expect(event?.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(Buffer.from(event?.body ?? '', 'base64').toString()).toBe('decision=approve&comment=ok%21');
    expect(event?.requestContext.time).toMatch(/^\d{2}\/[A-Z][a-z]{2}\/\d{4}:\d{2}:\d{2}:\d{2} \+0000$/);
  });

  it('passes text bodies as text, answers a plain result as JSON, and a thrown error as 502', async () => {
    const events: FunctionUrlEvent[] = [];
    served = await serveFunctionUrl(async (event) => {
      events.push(event);
      if (event.rawPath === '/boom') throw new Error('secret detail');
      return { hello: 'world' };
    });
    const ok = await fetch(served.url, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: '{"a":1}',
    });
    const boom = await fetch(`${served.url}boom`);
    expect(events[0]).toMatchObject({ body: '{"a":1}', isBase64Encoded: false });
    expect(ok.headers.get('content-type')).toBe('application/json');
    expect(await ok.json()).toEqual({ hello: 'world' });
    expect(boom.status).toBe(502);
    expect(await boom.text()).not.toContain('secret detail');
  });
});
