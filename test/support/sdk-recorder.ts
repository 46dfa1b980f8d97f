// Keeps every command an SDK v3 client sends, as Baton's adapter built it (the input before it is
// serialized), for checking against the operation's input shape in the service's API model.
import type { Model } from './aws-model';
import { checkOperation } from './aws-model';

export interface SentCommand {
  operation: string;
  input: Record<string, unknown>;
}

type Next = (args: { input: object }) => Promise<unknown>;
interface Recordable {
  middlewareStack: {
    add(
      middleware: (next: Next, context: { commandName?: string }) => Next,
      options: { step: 'initialize'; name: string },
    ): void;
  };
}

export const recordCommands = (client: Recordable): SentCommand[] => {
  const sent: SentCommand[] = [];
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const operation = (context.commandName ?? '').replace(/Command$/, '');
      sent.push({ operation, input: { ...(args.input as Record<string, unknown>) } });
      return next(args);
    },
    { step: 'initialize', name: 'recordCommand' },
  );
  return sent;
};

/** One "Operation $.path: rule" line per violation of the model, over all recorded commands. */
export const modelProblems = (model: Model, sent: readonly SentCommand[]): string[] =>
  sent.flatMap((c) => checkOperation(model, c.operation, 'input', c.input).map((p) => `${c.operation} ${p}`));
