"""The mapping file of a NetBox import: which objects to take and as what.

Every field is optional; the defaults are the documented mapping
(docs/import-netbox.md). Example:

```yaml
company: {id: acme-it, name: ACME IT}
sites: [MDF, DM-Akron]           # only these sites (name or slug); default: all
exclude_sites: [DM-Yonkers]
roles:                           # device role (name or slug) -> asset kind, or skip
  pdu: equipment
  patch-panel: skip
cluster_k: n-1                   # hosts a cluster needs: n-1 (default), all, or a number
clusters: {DO-NYC1: 3}           # per cluster (name): k
rack_feeds: true                 # devices with no cabled power port use their rack's feeds
wan_roles: [router]              # who needs a circuit whose termination is not cabled
skip_status: [offline, planned, decommissioning, inventory]
names: {dmi01-akron-rtr01: Router Akron}   # display names of assets
ids: {dmi01-akron-rtr01: akron_router}      # asset ids in place of dev-<name> etc.
```
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from simulator.model.schema import CompanyInfo, Id
from simulator.terms.kinds import AssetKind

Name = Annotated[str, Field(min_length=1, max_length=200)]


DEFAULT_ROLES: dict[str, AssetKind | Literal["skip"]] = {
    "pdu": AssetKind.equipment,  # power distribution: plant, not an attack target
    "patch-panel": "skip",  # passive: nothing in it can fail on its own
}


class Mapping(BaseModel):
    """How NetBox objects become assets (defaults: the documented mapping)."""

    model_config = ConfigDict(extra="forbid")

    company: CompanyInfo = CompanyInfo(id="netbox", name="NetBox")
    sites: list[Name] | None = Field(default=None, max_length=10_000)
    exclude_sites: list[Name] = Field(default_factory=list, max_length=10_000)
    roles: dict[Name, AssetKind | Literal["skip"]] = Field(
        default_factory=lambda: dict(DEFAULT_ROLES),
        max_length=1000,
    )
    cluster_k: Literal["n-1", "all"] | Annotated[int, Field(ge=1, le=100_000)] = "n-1"
    clusters: dict[Name, Annotated[int, Field(ge=1, le=100_000)]] = Field(
        default_factory=dict, max_length=10_000
    )
    rack_feeds: bool = True
    wan_roles: list[Name] = Field(default_factory=lambda: ["router"], max_length=100)
    skip_status: list[Name] = Field(
        default_factory=lambda: [
            "offline", "planned", "decommissioning", "inventory", "deprovisioning",
            "decommissioned", "failed",
        ],
        max_length=100,
    )  # fmt: skip
    names: dict[Name, Name] = Field(default_factory=dict, max_length=100_000)
    # NetBox name (a circuit's cid) -> asset id, for ids a company already uses
    # in its scenarios; the name slugified as usual when not listed.
    ids: dict[Name, Id] = Field(default_factory=dict, max_length=100_000)

    def k_of(self, cluster: str, hosts: int) -> int:
        """Hosts a cluster needs up: its own k, else n-1 (one host may fail, the
        usual N+1 sizing) or all; never more than it has, never below 1."""
        k = self.clusters.get(cluster, self.cluster_k)
        if k == "n-1":
            k = hosts - 1
        elif k == "all":
            k = hosts
        return max(1, min(int(k), hosts))
