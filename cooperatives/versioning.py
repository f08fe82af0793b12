"""The registry's data set (``coopdx.versions``): the tables whose rows its answers show, so that
a write to any of them, by any path, renews the registry's ETags and cached answers."""

from coopdx import versions

REGISTRY = versions.data_set(
    "registry",
    "cooperatives.Cooperative",
    "cooperatives.Province",
    "cooperatives.Ward",
    "cooperatives.Sector",
)
