import { ConfigValidationError, loadSignalConfig, SignalConfig } from './signal-config';

/** Loads `env` outside production, with the development credentials for whatever it leaves unset. */
export function loadWithDevCredentials(env: NodeJS.ProcessEnv): SignalConfig {
  return loadSignalConfig({ SIGNAL_DEV_CREDENTIALS: 'true', ...env });
}

/** The problems {@link loadWithDevCredentials} finds in `env`; none when it loads. */
export function problemsOf(env: NodeJS.ProcessEnv): string[] {
  try {
    loadWithDevCredentials(env);
    return [];
  } catch (error) {
    if (error instanceof ConfigValidationError) return error.problems;
    throw error;
  }
}
