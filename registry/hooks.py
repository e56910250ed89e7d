"""Hooks through which the apps above registry (intake, cases, programme) show their records on a community's
page without registry importing them. Each app registers its panel in its AppConfig.ready(); registry only
renders what is registered, in the order of `order`.

- `register_community_panel(fn, order=100)`: fn(user, community) -> dict | None, one panel of the community
  page, built from the records the user may see (`restrict(user, "view")`, personal data masked or left out).
  None: the panel is not for this user. The dict's keys, read by templates/registry/_community_panel.html:
    key      short name (the panel's data-testid is "community-<key>")
    title    the panel's heading
    icon     a Bootstrap icon name
    total    how many records the user sees for the community
    rows     the most recent few: [{"label", "text", "when" (date or datetime), "url", "badge", "tone",
             "flag" ("overdue" / "soon" / "")}]
    more_url the list filtered to the community (or "")
    empty    what to say when there is none
"""
from collections.abc import Callable
from typing import Any

CommunityPanel = Callable[[Any, Any], dict | None]

_panels: list[tuple[int, CommunityPanel]] = []


def register_community_panel(fn: CommunityPanel, order: int = 100) -> CommunityPanel:
    if all(registered is not fn for _order, registered in _panels):
        _panels.append((order, fn))
        _panels.sort(key=lambda entry: entry[0])
    return fn


def community_panels(user, community) -> list[dict]:
    panels = []
    for _order, fn in _panels:
        panel = fn(user, community)
        if panel is not None:
            panels.append(panel)
    return panels
