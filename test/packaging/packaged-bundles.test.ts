// The functions' code as `osls package` writes it into their zips (not esbuild run by the test):
// pipeline.yml baked in as it validated, defaults filled (the sample names no computePlatform, so
// only a validated copy says "Server"), no copy of the pipeline schema, and none of the SDK's
// default credential chain, whose links log their package names.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import { FUNCTION_FOLDERS, type Packaged, packageStack } from '../support/packaged';

let packaged: Packaged;

beforeAll(() => {
  packaged = packageStack();
}, 120_000);

const handlers = () =>
  readdirSync(packaged.dir)
    .filter((f) => f.endsWith('.zip'))
    .flatMap((zip) =>
      Object.entries(unzipSync(readFileSync(join(packaged.dir, zip))))
        .filter(([name]) => name.endsWith('/handler.js'))
        .map(([name, body]) => ({ name, code: Buffer.from(body).toString('utf8') })),
    );

describe('the packaged function code', () => {
  it('carries pipeline.yml as it validated, and neither its schema nor the default credential chain', () => {
    const found = handlers();
    expect(found.map((h) => h.name.split('/')[1]).sort()).toEqual([...FUNCTION_FOLDERS].sort());
    for (const { name, code } of found) {
      expect(code, name).toContain('"computePlatform":"Server"');
      expect(code, name).toContain('"ledgerPrefix":"ledger/"');
      expect(code, name).not.toContain('a prefix ending in /');
      expect(code, name).not.toContain('credential-provider-ini');
      expect(code, name).not.toContain('credential-provider-sso');
    }
  });
});
