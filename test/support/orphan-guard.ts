import { spawn } from 'node:child_process';

// Waits for the test process to be gone, then kills every pid found in the pid files of `dir`
// (`*.pid`, and PostgreSQL's `data/postmaster.pid`) and removes `dir`.
const WATCHDOG = `
parent=$1; dir=$2
while kill -0 "$parent" 2>/dev/null; do sleep 1; done
for file in "$dir"/*.pid "$dir"/data/postmaster.pid; do
  [ -f "$file" ] && kill -9 "$(head -n 1 "$file")" 2>/dev/null
done
rm -rf "$dir"
`;

/**
 * Watches this test process from outside, for the runs that never reach their teardown (Ctrl-C,
 * a CI job's SIGKILL; Node runs no handler then, and Jest's test context gets no signals):
 * once it is gone, kills the processes whose pid files are in `dir` and deletes `dir`.
 * Resolves nothing; returns the function that ends the watch after a normal teardown.
 */
export function guardAgainstOrphans(dir: string): () => void {
  const watchdog = spawn('sh', ['-c', WATCHDOG, 'orphan-guard', String(process.pid), dir], {
    // Its own process group: a Ctrl-C in the terminal does not reach it.
    detached: true,
    stdio: 'ignore',
  });
  watchdog.unref();
  return () => watchdog.kill('SIGKILL');
}
