// Records every AWS call a client makes (service and operation), in order, through SDK middleware.
import type { MetadataBearer, MiddlewareStack } from '@smithy/types';

export const countCalls = <I extends object, O extends MetadataBearer>(
  service: string,
  client: { middlewareStack: MiddlewareStack<I, O> },
  into: string[],
) => {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      into.push(`${service}.${(context.commandName ?? '?').replace(/Command$/, '')}`);
      return next(args);
    },
    { step: 'initialize', name: `count-${service}` },
  );
};
