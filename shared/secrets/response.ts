// The secrets URL's answer as a function URL response: JSON, never cached by anything in between.
// 200 {files: [{path, mode, owner?, encoding: "base64", content}]}; otherwise {error, reason, refusal?}.
import type { SecretsAnswer } from './secrets';

const ERRORS = {
  400: 'bad request',
  403: 'forbidden',
  500: 'secrets unavailable',
  503: 'temporarily unavailable',
} as const;

export const secretsResponse = (answer: SecretsAnswer) => ({
  statusCode: answer.status,
  headers: { 'content-type': 'application/json', 'cache-control': 'no-store' },
  body: JSON.stringify(
    answer.status === 200 ? { files: answer.files } : { error: ERRORS[answer.status], ...answer },
  ),
});
