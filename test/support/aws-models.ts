// AWS's API models, read from botocore's data (service-2.json.gz): the full models, with every
// member's min, max, pattern and enum. botocore comes with moto, which every machine of the project
// and CI has. BOTOCORE_DATA names another copy of botocore/data.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { Model } from './aws-model';

const FIND = 'import botocore, os; print(os.path.join(os.path.dirname(botocore.__file__), "data"))';

let dataDir: string | undefined;
const botocoreData = (): string => {
  if (dataDir) return dataDir;
  const named = process.env.BOTOCORE_DATA;
  try {
    dataDir = named || execFileSync('python3', ['-c', FIND], { encoding: 'utf8' }).trim();
  } catch (error) {
    throw new Error('botocore (installed with moto) not found: set BOTOCORE_DATA to botocore/data', {
      cause: error,
    });
  }
  return dataDir;
};

const cache = new Map<string, Model>();

/** The newest API version of a service (e.g. "codedeploy", "s3", "sns"). */
export const awsModel = (service: string): Model => {
  const cached = cache.get(service);
  if (cached) return cached;
  const root = join(botocoreData(), service);
  const version = readdirSync(root)
    .filter(
      (v) => existsSync(join(root, v, 'service-2.json.gz')) || existsSync(join(root, v, 'service-2.json')),
    )
    .sort()
    .at(-1);
  if (!version) throw new Error(`no API model for ${service} under ${root}`);
  const file = join(root, version, 'service-2.json');
  const text = existsSync(`${file}.gz`)
    ? gunzipSync(readFileSync(`${file}.gz`)).toString('utf8')
    : readFileSync(file, 'utf8');
  const model = JSON.parse(text) as Model;
  cache.set(service, model);
  return model;
};

/** A shape's rules, for generating values within them. */
export const shapeOf = (service: string, name: string) => {
  const shape = awsModel(service).shapes[name];
  if (!shape) throw new Error(`${service} has no shape ${name}`);
  return shape;
};
