import { generateKeyPairSync } from 'node:crypto';
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

/** A real RS256 public key, as PEM, and as an env file carries it (line breaks as `\\n`). */
export function publicKeyPem(): { pem: string; escaped: string } {
  const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const pem = publicKey.export({ type: 'spki', format: 'pem' }).toString().trimEnd();
  return { pem, escaped: pem.replace(/\n/g, '\\n') };
}
