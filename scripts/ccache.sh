# Sourced by setup.sh and test.sh (from the repository root): compile through ccache when it is
# installed (scripts/deps.sh installs it). Paths are taken relative to the checkout and the
# working folder is left out of the hash, so a fresh clone on a machine that has built polc
# before reuses its objects. Sets POLC_LAUNCHER, the cmake arguments to pass.
POLC_LAUNCHER=()
if command -v ccache >/dev/null; then
  export CCACHE_BASEDIR="$PWD" CCACHE_NOHASHDIR=1
  POLC_LAUNCHER=(-DCMAKE_C_COMPILER_LAUNCHER=ccache -DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
fi
