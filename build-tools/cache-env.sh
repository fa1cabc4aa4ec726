# Sourced by the build scripts: where the caches that outlive a clone live (README, "Contributing").
#   MAFS_CACHE_DIR   default $HOME/.cache/multi-az-failover-service
#     m2/            Maven local repository (aws-cdk-lib's Java binding built here when Central lags)
#     go/mod, go/build   Go module and build caches
#     node/          Node.js 22 provisioned by .ci/run when the machine's Node is older
#     pip/           pip's wheelhouse for twine and the New project recipe
export MAFS_CACHE_DIR="${MAFS_CACHE_DIR:-$HOME/.cache/multi-az-failover-service}"
export MAFS_M2="$MAFS_CACHE_DIR/m2"
export GOMODCACHE="$MAFS_CACHE_DIR/go/mod"
export GOCACHE="$MAFS_CACHE_DIR/go/build"
# Module cache files writable, so that the cache folder can simply be deleted.
export GOFLAGS="-modcacherw"
export PIP_DISABLE_PIP_VERSION_CHECK=1
mkdir -p "$MAFS_M2" "$GOMODCACHE" "$GOCACHE"
