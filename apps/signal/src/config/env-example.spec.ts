import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadSignalConfig, signalVariableNames } from './signal-config';

function parseEnvFile(text: string): Record<string, string> {
  return Object.fromEntries(
    text
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line !== '' && !line.startsWith('#'))
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );
}

const ROOT = join(__dirname, '..', '..', '..', '..');

/** The `KEY: value` lines of the app's environment block (`&signal-env`) in the compose file. */
function composeAppVariables(text: string): string[] {
  const block = text.split('environment: &signal-env\n')[1] ?? '';
  return [...block.matchAll(/^ {6}([A-Z0-9_]+):/gm)].map((match) => match[1]);
}

describe('.env.example', () => {
  const documented = parseEnvFile(readFileSync(join(ROOT, '.env.example'), 'utf8'));

  it('should list exactly the variables the app reads, deprecated names aside', () => {
    const deprecated = ['PHX_DELIVERY_CONCURRENCY'];
    expect(Object.keys(documented).sort()).toEqual(
      signalVariableNames()
        .filter((name) => !deprecated.includes(name))
        .sort(),
    );
  });

  it('should state the same defaults the app applies', () => {
    // The credentials have no default (SIGNAL_DEV_CREDENTIALS is off): the same given to both.
    const credentials = {
      SIGNAL_JWT_SECRET: 'env-example-jwt-secret-0123',
      SIGNAL_API_KEYS: 'env-example-api-key-0123456789',
    };
    expect(loadSignalConfig({ ...documented, ...credentials })).toEqual(
      loadSignalConfig(credentials),
    );
  });

  it('should know every variable docker/compose.yml gives the app', () => {
    const given = composeAppVariables(readFileSync(join(ROOT, 'docker', 'compose.yml'), 'utf8'));
    expect(given.length).toBeGreaterThan(0);
    expect(given.filter((name) => !(name in documented))).toEqual([]);
  });
});
