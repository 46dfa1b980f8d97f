// Every environment variable Baton reads, read once, through one helper that names what is missing.
import { ConfigError } from './rules/errors';

export const requireEnv = (name: string, env: NodeJS.ProcessEnv = process.env): string => {
  const value = env[name];
  if (value === undefined || value === '') throw new ConfigError([`environment variable ${name}: required`]);
  return value;
};

export const optionalEnv = (name: string, fallback: string, env: NodeJS.ProcessEnv = process.env): string =>
  env[name] || fallback;
