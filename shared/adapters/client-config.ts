// Shared SDK client settings. Endpoints come from AWS_ENDPOINT_URL / AWS_ENDPOINT_URL_<SERVICE>,
// which the SDK reads itself, so the same code runs against AWS, moto or the local CodeDeploy.
export const clientConfig = (env: NodeJS.ProcessEnv = process.env) => ({
  // Standard retry mode: exponential backoff with full jitter, bounded to stay inside Lambda's budget.
  maxAttempts: Number(env.BATON_SDK_MAX_ATTEMPTS || 4),
  retryMode: 'standard' as const,
});

/** moto and other emulators serve S3 by path, not by virtual host. */
export const s3PathStyle = (env: NodeJS.ProcessEnv = process.env): boolean =>
  Boolean(env.AWS_ENDPOINT_URL_S3 || env.AWS_ENDPOINT_URL);
