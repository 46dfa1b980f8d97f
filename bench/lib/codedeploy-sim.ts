// A simulated CodeDeploy for the audit benchmark: the JSON protocol on loopback, every call answered
// after a fixed latency, calls counted per operation. It runs in a child process so that its CPU and
// memory stay out of the measured audit. Targets are made on demand (1 in 500 fails ValidateService).

import { type ChildProcess, fork } from 'node:child_process';
import { createServer } from 'node:http';
import { LIFECYCLE_EVENTS } from '../../local/codedeploy/types';

export interface SimOptions {
  targets: number;
  pageSize: number;
  latencyMs: number;
}

export const DEPLOYMENT_ID = 'd-BENCH0001';
const EVENTS = LIFECYCLE_EVENTS;
const idAt = (i: number) => `i-${i.toString(16).padStart(17, '0')}`;
const indexOf = (id: string) => Number.parseInt(id.slice(2), 16);
const fails = (i: number) => i % 500 === 499;
const epoch = 1_772_445_300;

const targetAt = (i: number) => {
  const failed = fails(i);
  return {
    deploymentTargetType: 'InstanceTarget',
    instanceTarget: {
      deploymentId: DEPLOYMENT_ID,
      targetId: idAt(i),
      targetArn: `arn:aws:ec2:us-east-1:123456789012:instance/${idAt(i)}`,
      status: failed ? 'Failed' : 'Succeeded',
      lastUpdatedAt: epoch + 60,
      lifecycleEvents: EVENTS.map((name, e) => {
        const status = !failed || e < 6 ? 'Succeeded' : 'Failed';
        return {
          lifecycleEventName: name,
          status,
          startTime: epoch + e,
          endTime: epoch + e + 1,
          diagnostics:
            status === 'Failed'
              ? {
                  errorCode: 'ScriptFailed',
                  scriptName: 'scripts/validate.sh',
                  message: 'exit code 1',
                  logTail: '[stderr]curl: (7) Failed to connect\n'.repeat(20),
                }
              : {
                  errorCode: 'Success',
                  scriptName: '',
                  message: 'Succeeded',
                  logTail: `[stdout]${name} done\n`.repeat(8),
                },
        };
      }),
    },
  };
};

const answer = (options: SimOptions, operation: string, input: Record<string, unknown>): unknown => {
  const n = options.targets;
  switch (operation) {
    case 'GetDeployment': {
      const failed = Array.from({ length: n }, (_, i) => i).filter(fails).length;
      return {
        deploymentInfo: {
          applicationName: 'baton-web',
          deploymentGroupName: 'web-production',
          deploymentId: DEPLOYMENT_ID,
          deploymentConfigName: 'CodeDeployDefault.AllAtOnce',
          status: 'Succeeded',
          createTime: epoch,
          completeTime: epoch + 120,
          computePlatform: 'Server',
          deploymentStyle: { deploymentType: 'IN_PLACE', deploymentOption: 'WITHOUT_TRAFFIC_CONTROL' },
          deploymentOverview: {
            Pending: 0,
            InProgress: 0,
            Succeeded: n - failed,
            Failed: failed,
            Skipped: 0,
            Ready: 0,
          },
        },
      };
    }
    case 'ListDeploymentTargets': {
      const start = Number(input.nextToken ?? 0);
      const end = Math.min(n, start + options.pageSize);
      const targetIds = Array.from({ length: end - start }, (_, i) => idAt(start + i));
      return { targetIds, ...(end < n ? { nextToken: String(end) } : {}) };
    }
    case 'BatchGetDeploymentTargets': {
      const ids = Array.isArray(input.targetIds) ? input.targetIds.map(String) : [];
      return { deploymentTargets: ids.map((id) => targetAt(indexOf(id))) };
    }
    case 'GetDeploymentTarget':
      return { deploymentTarget: targetAt(indexOf(String(input.targetId))) };
    default:
      return undefined;
  }
};

/** In the child: serve until the parent disconnects. */
const serve = (options: SimOptions) => {
  const calls: Record<string, number> = {};
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.method === 'GET' && req.url === '/calls') {
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(calls));
        return;
      }
      const operation = String(req.headers['x-amz-target'] ?? '').split('.')[1] ?? '';
      calls[operation] = (calls[operation] ?? 0) + 1;
      const input = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
      setTimeout(() => {
        const out = answer(options, operation, input);
        if (out === undefined) {
          res.writeHead(400, { 'content-type': 'application/x-amz-json-1.1' });
          res.end(JSON.stringify({ __type: 'UnknownOperationException', message: operation }));
          return;
        }
        res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' }).end(JSON.stringify(out));
      }, options.latencyMs);
    });
  });
  server.listen(0, '127.0.0.1', () => {
    const address = server.address();
    process.send?.({ port: typeof address === 'object' && address ? address.port : 0 });
  });
  process.on('disconnect', () => process.exit(0));
};

if (require.main === module) serve(JSON.parse(process.argv[2] ?? '{}'));

export interface Sim {
  endpoint: string;
  calls(): Promise<Record<string, number>>;
  stop(): void;
}

export const startSim = (options: SimOptions): Promise<Sim> =>
  new Promise((resolve, reject) => {
    const child: ChildProcess = fork(__filename, [JSON.stringify(options)], {
      execArgv: ['--require', 'tsx/cjs'],
    });
    child.once('error', reject);
    child.once('message', (m: unknown) => {
      const port = typeof m === 'object' && m !== null && 'port' in m ? Number(m.port) : 0;
      const endpoint = `http://127.0.0.1:${port}`;
      resolve({
        endpoint,
        calls: async () => (await (await fetch(`${endpoint}/calls`)).json()) as Record<string, number>,
        stop: () => child.disconnect(),
      });
    });
  });
