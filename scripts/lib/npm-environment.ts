/** The npm settings a child npm keeps from the npm (or Jest under npm) that started this process. */
const KEPT_NPM_VARIABLES = new Set([
  'npm_config_cache',
  'npm_config_registry',
  'npm_config_userconfig',
]);

/**
 * The environment for an npm command run in another folder: without the `npm_*` variables of the
 * npm that started us. `npm run` exports its prefixes and flags (`npm_config_local_prefix`,
 * `npm_config_prefix`, `npm_config_loglevel=silent` under `-s`…), which would make the child act
 * on this repository, or say nothing, instead of working in its own folder. Upper-case
 * `NPM_CONFIG_*` variables are the user's own settings and pass through.
 */
export function npmEnvironment(overrides: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const inherited = Object.entries(process.env).filter(
    ([name]) => !name.startsWith('npm_') || KEPT_NPM_VARIABLES.has(name),
  );
  return { ...Object.fromEntries(inherited), ...overrides };
}
