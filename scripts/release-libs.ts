/**
 * `npm run release:libs [-- --dry-run] [--registry <url>]`: publishes `@signal/core` and
 * `phx-node` to the registry npm is configured with for each (`registry=`, or
 * `@signal:registry=` for the scoped one, in the project's or the user's `.npmrc`, with its
 * `//host/:_authToken=`), or to `--registry`. First, for both, the version must have its heading
 * in the CHANGELOG and be new on that registry; then both are built; then both are published, so
 * a failed check or build publishes nothing. `--dry-run` does all of it but the upload
 * (`npm publish --dry-run`, which lists what each tarball holds).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { npmEnvironment } from './lib/npm-environment';

const ROOT = join(__dirname, '..');
/** In publishing order: nothing depends on a library published after it. */
const LIBRARY_DIRS = ['libs/core', 'libs/phx-node'];

interface Library {
  dir: string;
  name: string;
  version: string;
  /** `@signal` for `@signal/core`, null for an unscoped package. */
  scope: string | null;
}

interface Options {
  dryRun: boolean;
  registry: string | null;
}

function parseArguments(args: string[]): Options {
  const options: Options = { dryRun: false, registry: null };
  for (let i = 0; i < args.length; i++) {
    const argument = args[i];
    if (argument === '--dry-run') options.dryRun = true;
    else if (argument === '--registry' && args[i + 1]) options.registry = args[++i];
    else if (argument.startsWith('--registry=')) options.registry = argument.slice(11);
    else
      throw new Error(
        `unknown argument "${argument}"; usage: release:libs [--dry-run] [--registry <url>]`,
      );
  }
  return options;
}

function readLibrary(dir: string): Library {
  const manifest = JSON.parse(readFileSync(join(ROOT, dir, 'package.json'), 'utf8')) as {
    name: string;
    version: string;
  };
  const scope = manifest.name.startsWith('@') ? manifest.name.split('/')[0] : null;
  return { dir: join(ROOT, dir), name: manifest.name, version: manifest.version, scope };
}

function npm(cwd: string, args: string[]): string {
  return execFileSync('npm', args, { cwd, env: npmEnvironment(), encoding: 'utf8' }).trim();
}

/** `--registry` for both kinds of package: a scope's own registry setting would win over it. */
function registryArguments(library: Library, registry: string | null): string[] {
  if (!registry) return [];
  return [
    '--registry',
    registry,
    ...(library.scope ? [`--${library.scope}:registry=${registry}`] : []),
  ];
}

function registryOf(library: Library, registry: string | null): string {
  if (registry) return registry;
  const scoped = library.scope
    ? npm(library.dir, ['config', 'get', `${library.scope}:registry`])
    : '';
  return scoped && scoped !== 'undefined'
    ? scoped
    : npm(library.dir, ['config', 'get', 'registry']);
}

/**
 * The registry npm uses when nobody configured one: these packages are the organisation's own,
 * and a forgotten `.npmrc` must not publish them to the world. Asked of npm itself, with empty
 * user and global configurations, from a folder without a project `.npmrc`.
 */
function defaultRegistry(): string {
  const folder = mkdtempSync(join(tmpdir(), 'release-libs-'));
  try {
    const [user, global] = ['user', 'global'].map((name) => join(folder, `${name}.npmrc`));
    writeFileSync(user, '');
    writeFileSync(global, '');
    const env = npmEnvironment();
    delete env.npm_config_registry;
    delete env.NPM_CONFIG_REGISTRY;
    const args = ['config', 'get', 'registry', `--userconfig=${user}`, `--globalconfig=${global}`];
    return execFileSync('npm', args, { cwd: folder, env, encoding: 'utf8' }).trim();
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

/** Whether `name@version` is on the registry; an answer other than "not found" is an error. */
function isPublished(library: Library, registry: string | null): boolean {
  const view = spawnSync(
    'npm',
    [
      'view',
      `${library.name}@${library.version}`,
      'version',
      '--json',
      ...registryArguments(library, registry),
    ],
    { cwd: library.dir, env: npmEnvironment(), encoding: 'utf8' },
  );
  if (view.status === 0) return view.stdout.trim() !== '';
  if (/\bE404\b/.test(view.stdout + view.stderr)) return false;
  throw new Error(`npm view ${library.name} failed: ${(view.stderr || view.stdout).trim()}`);
}

/** A `## 1.2.0` heading, possibly followed by a date: `## 1.2.0 (2026-12-03)`. */
function hasChangelogEntry(library: Library): boolean {
  const changelog = readFileSync(join(library.dir, 'CHANGELOG.md'), 'utf8');
  const version = library.version.replace(/[.+]/g, '\\$&');
  return new RegExp(`^## ${version}(\\s|$)`, 'm').test(changelog);
}

/** Every reason the libraries cannot be released, for both at once. */
function problemsOf(libraries: Library[], options: Options): string[] {
  const unconfigured = defaultRegistry();
  return libraries.flatMap((library) => {
    const target = registryOf(library, options.registry);
    const id = `${library.name}@${library.version}`;
    console.log(`${id} → ${target}`);
    if (target === unconfigured) {
      return [
        `${id}: no registry configured (npm's default ${target}); set registry= in .npmrc or pass --registry`,
      ];
    }
    const problems: string[] = [];
    if (!hasChangelogEntry(library)) {
      problems.push(`${id}: no "## ${library.version}" heading in ${library.dir}/CHANGELOG.md`);
    }
    if (isPublished(library, options.registry)) {
      problems.push(`${id}: already published to ${target}; raise the version in package.json`);
    }
    return problems;
  });
}

function main(): void {
  const options = parseArguments(process.argv.slice(2));
  const libraries = LIBRARY_DIRS.map(readLibrary);

  const problems = problemsOf(libraries, options);
  if (problems.length > 0) {
    console.error(`release:libs: nothing published\n${problems.map((p) => `- ${p}`).join('\n')}`);
    process.exit(1);
  }
  const run = (library: Library, args: string[]) =>
    execFileSync('npm', args, { cwd: library.dir, env: npmEnvironment(), stdio: 'inherit' });
  for (const library of libraries) run(library, ['run', 'build']);
  for (const library of libraries) {
    // Built just above; prepack would build again.
    const publish = [
      'publish',
      '--ignore-scripts',
      ...registryArguments(library, options.registry),
    ];
    run(library, options.dryRun ? [...publish, '--dry-run'] : publish);
  }
  const published = libraries.map((library) => `${library.name}@${library.version}`).join(', ');
  console.log(
    options.dryRun
      ? `release:libs: dry run, would publish ${published}`
      : `release:libs: published ${published}`,
  );
}

try {
  main();
} catch (error) {
  console.error(`release:libs: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
