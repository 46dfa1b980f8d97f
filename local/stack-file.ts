// A running local stack described in a file (`npm start -- --keep` writes .local/stack.json), so that
// other processes — the baton CLI, `osls invoke local` — can reach it.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { LocalStack } from './stack';

export interface StackFile {
  env: Record<string, string>;
  approvalUrl: string;
  boardUrl: string;
  secretsUrl: string;
  motoEndpoint: string;
  codedeployEndpoint: string;
  bucket: string;
  pid: number;
}

export const DEFAULT_STACK_FILE = join(__dirname, '..', '.local', 'stack.json');

export const writeStackFile = (stack: LocalStack, path = DEFAULT_STACK_FILE): string => {
  const file: StackFile = {
    env: stack.env,
    approvalUrl: stack.approvalUrl,
    boardUrl: stack.boardUrl,
    secretsUrl: stack.secretsUrl,
    motoEndpoint: stack.moto.endpoint,
    codedeployEndpoint: stack.codedeploy.endpoint,
    bucket: stack.bucket,
    pid: process.pid,
  };
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(file, null, 2)}\n`);
  return path;
};

export const readStackFile = (path = DEFAULT_STACK_FILE): StackFile =>
  JSON.parse(readFileSync(path, 'utf8')) as StackFile;
