// Runs a use case on parsed input; malformed input is recorded and refused, and the invocation
// ends normally so that AWS does not retry it forever.

import type { Core } from '../core/ports';
import { ValidationError } from '../core/rules/errors';
import { recordRejection } from './rejections';

export type Refused = { outcome: 'rejected'; reason: string };

export const refusingMalformed = async <T>(
  deps: Core,
  source: string,
  run: () => Promise<T>,
): Promise<T | Refused> => {
  try {
    return await run();
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    await recordRejection(deps, source, `malformed event: ${error.message}`);
    return { outcome: 'rejected', reason: error.message };
  }
};
