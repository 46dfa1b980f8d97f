// Shared SDK client settings. Endpoints come from AWS_ENDPOINT_URL / AWS_ENDPOINT_URL_<SERVICE>,
// which the SDK reads itself, so the same code runs against AWS, moto or the local CodeDeploy.
//
// Retries: the SDK's standard mode, exponential backoff with full jitter (before retry i, 0-based, a
// random wait below base × 2^i: base 50 ms after a transient error, 1 s after throttling). Each attempt
// ends within requestTimeout, so one call lasts at most maxAttempts × requestTimeout plus the waits:
// with the defaults (4 attempts, 3 s) 3.05 + 3.1 + 4 + 3 ≈ 13.2 s, well inside the functions' 30–110 s.
// The secrets function (10 s) sets 3 attempts of 2 s: 2.05 + 2.1 + 2 ≈ 6.2 s. A handler whose calls
// together outlast its timeout is retried by Lambda; every step is safe to repeat.
export const clientConfig = (env: NodeJS.ProcessEnv = process.env) => {
  const requestTimeout = Number(env.BATON_SDK_REQUEST_TIMEOUT_MS || 3000);
  return {
    maxAttempts: Number(env.BATON_SDK_MAX_ATTEMPTS || 4),
    retryMode: 'standard' as const,
    requestHandler: {
      connectionTimeout: Math.min(1000, requestTimeout),
      requestTimeout,
      // Without this, node-http-handler 4 only logs a warning when requestTimeout passes.
      throwOnRequestTimeout: true,
      // A response body that stalls after its headers.
      socketTimeout: requestTimeout,
    },
  };
};

/** moto and other emulators serve S3 by path, not by virtual host. */
export const s3PathStyle = (env: NodeJS.ProcessEnv = process.env): boolean =>
  Boolean(env.AWS_ENDPOINT_URL_S3 || env.AWS_ENDPOINT_URL);

/** Whether CodeDeploy is AWS's own (not a local stand-in), so its console shows the deployments. */
export const codedeployInAws = (env: NodeJS.ProcessEnv = process.env): boolean =>
  !(env.AWS_ENDPOINT_URL_CODEDEPLOY || env.AWS_ENDPOINT_URL);
