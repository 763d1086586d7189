/**
 * `npm run release:libs [-- --dry-run] [--registry <url>]`: publishes `@signal/core` and
 * `phx-node` to the registry npm is configured with for each (`registry=`, or
 * `@signal:registry=` for the scoped one, in the project's or the user's `.npmrc`, with its
 * `//host/:_authToken=`), or to `--registry`.
 *
 * Builds both and packs them without writing a file; then each version must have its CHANGELOG
 * heading and, on the registry, either be missing (it is published) or hold this very tarball
 * (unchanged since it was published: skipped, so a library that did not change needs no new
 * version). A tarball that differs from the one published under its version is refused: raise
 * the version. Nothing is published unless both pass. `--dry-run` stops before the upload
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

const idOf = (library: Library) => `${library.name}@${library.version}`;

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

/** The integrity of the tarball `npm publish` would upload now (built already). */
function localIntegrity(library: Library): string {
  const packed = npm(library.dir, ['pack', '--dry-run', '--json', '--ignore-scripts']);
  return (JSON.parse(packed) as { integrity: string }[])[0].integrity;
}

/** The registry's integrity of `name@version`, or null when it does not have that version. */
function publishedIntegrity(library: Library, registry: string | null): string | null {
  const view = spawnSync(
    'npm',
    ['view', idOf(library), 'dist.integrity', '--json', ...registryArguments(library, registry)],
    { cwd: library.dir, env: npmEnvironment(), encoding: 'utf8' },
  );
  if (view.status === 0) {
    const output = view.stdout.trim();
    return output === '' ? null : (JSON.parse(output) as string);
  }
  if (/\bE404\b/.test(view.stdout + view.stderr)) return null;
  throw new Error(`npm view ${library.name} failed: ${(view.stderr || view.stdout).trim()}`);
}

/** A `## 1.2.0` heading, possibly followed by a date: `## 1.2.0 (2026-12-03)`. */
function hasChangelogEntry(library: Library): boolean {
  const changelog = readFileSync(join(library.dir, 'CHANGELOG.md'), 'utf8');
  const version = library.version.replace(/[.+]/g, '\\$&');
  return new RegExp(`^## ${version}(\\s|$)`, 'm').test(changelog);
}

interface Plan {
  toPublish: Library[];
  unchanged: Library[];
  problems: string[];
}

/**
 * Where each library goes; refuses npm's public default (no registry configured) before anything
 * is built.
 */
function targetsOf(libraries: Library[], options: Options): Map<Library, string> {
  const unconfigured = defaultRegistry();
  const targets = new Map(libraries.map((l) => [l, registryOf(l, options.registry)] as const));
  const refused = libraries.filter((library) => targets.get(library) === unconfigured);
  if (refused.length > 0) {
    throw new Error(
      `no registry configured for ${refused.map(idOf).join(', ')} (npm's default ${unconfigured}): set registry= in .npmrc or pass --registry; nothing published`,
    );
  }
  return targets;
}

/** What to publish, what is on the registry already, and every reason not to go on. */
function planRelease(targets: Map<Library, string>, options: Options): Plan {
  const plan: Plan = { toPublish: [], unchanged: [], problems: [] };
  for (const [library, target] of targets) {
    const id = idOf(library);
    if (!hasChangelogEntry(library)) {
      plan.problems.push(
        `${id}: no "## ${library.version}" heading in ${library.dir}/CHANGELOG.md`,
      );
    }
    const published = publishedIntegrity(library, options.registry);
    if (published === null) {
      console.log(`${id} → ${target}: new`);
      plan.toPublish.push(library);
    } else if (published === localIntegrity(library)) {
      console.log(`${id} → ${target}: published already, unchanged`);
      plan.unchanged.push(library);
    } else {
      plan.problems.push(
        `${id}: differs from the ${id} published to ${target}; raise the version in package.json`,
      );
    }
  }
  return plan;
}

function main(): void {
  const options = parseArguments(process.argv.slice(2));
  const libraries = LIBRARY_DIRS.map(readLibrary);
  const run = (library: Library, args: string[]) =>
    execFileSync('npm', args, { cwd: library.dir, env: npmEnvironment(), stdio: 'inherit' });

  const targets = targetsOf(libraries, options);
  for (const library of libraries) run(library, ['run', '--silent', 'build']);
  const plan = planRelease(targets, options);
  if (plan.problems.length > 0) {
    const problems = plan.problems.map((problem) => `- ${problem}`).join('\n');
    console.error(`release:libs: nothing published\n${problems}`);
    process.exit(1);
  }
  for (const library of plan.toPublish) {
    // Built above; prepack would build again.
    const publish = [
      'publish',
      '--ignore-scripts',
      ...registryArguments(library, options.registry),
    ];
    run(library, options.dryRun ? [...publish, '--dry-run'] : publish);
  }
  const list = (some: Library[]) => some.map(idOf).join(', ') || 'nothing';
  const verb = options.dryRun ? 'dry run, would publish' : 'published';
  console.log(`release:libs: ${verb} ${list(plan.toPublish)}; unchanged ${list(plan.unchanged)}`);
}

try {
  main();
} catch (error) {
  console.error(`release:libs: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
