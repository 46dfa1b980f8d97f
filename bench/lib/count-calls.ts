// Records every AWS call a client makes (service and operation), in order, through SDK middleware.
import type { MetadataBearer, MiddlewareStack } from '@smithy/types';

type Counted<I extends object, O extends MetadataBearer> = { middlewareStack: MiddlewareStack<I, O> };

/** Calls `onCall` with "Service.Operation" and the command's input before each call is sent. */
export const watchCalls = <I extends object, O extends MetadataBearer>(
  service: string,
  client: Counted<I, O>,
  onCall: (call: string, input: unknown) => void,
) => {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      onCall(`${service}.${(context.commandName ?? '?').replace(/Command$/, '')}`, args.input);
      return next(args);
    },
    { step: 'initialize', name: `count-${service}` },
  );
};

export const countCalls = <I extends object, O extends MetadataBearer>(
  service: string,
  client: Counted<I, O>,
  into: string[],
) => watchCalls(service, client, (call) => into.push(call));
