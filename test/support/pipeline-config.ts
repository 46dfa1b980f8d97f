// The shipped pipeline.yml as raw YAML (to change before parsing), and the issues a configuration draws.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { ConfigError } from '../../shared/core/rules/errors';
import { parsePipeline } from '../../shared/pipeline/rules/config';
import { root } from './fixtures';

export const shippedPipeline = () => parse(readFileSync(join(root, 'pipeline.yml'), 'utf8'));

/** A production `group:` with every blue/green setting off its default: discovered, kept, manual. */
export const manualBlueGreenGroup = () => ({
  instances: { ec2Tags: [{ key: 'env', value: 'production' }] },
  style: 'blue-green',
  blueGreen: {
    greenFleet: 'discover-existing',
    originalInstances: 'keep',
    reroute: 'manual',
    manualRerouteMinutes: 30,
  },
  targetGroup: 'web-green',
});

/** The path-and-rule messages parsePipeline refuses `raw` with; none when it is valid. */
export const configIssues = (raw: unknown): string[] => {
  try {
    parsePipeline(raw);
  } catch (error) {
    if (error instanceof ConfigError) return [...error.issues];
    throw error;
  }
  return [];
};
