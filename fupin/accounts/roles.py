"""What each role may do, as Django permission codenames, within its region's subtree.

Access control is part of the product's design rather than a local policy figure, so it lives
in code and not in the policy app. Each app grants its own permissions in its ``roles.py``
(named by its AppConfig's ``role_grants``); this module adds what belongs to no app and collects.
"""

from fupin.accounts.choices import Role
from fupin.core.spine import contributions

# Every role reads the region tree; the city manages users; auditors read the business events.
BASE: dict[str, frozenset[str]] = {
    role: frozenset({"regions.view_region"}) for role in Role.values
} | {
    Role.CITY_ADMIN: frozenset({"regions.view_region", "accounts.manage_users"}),
    Role.AUDITOR: frozenset({"regions.view_region", "core.view_event"}),
}


def role_permissions(role: str) -> frozenset[str]:
    """Return the permission codenames of a role."""
    return BASE.get(role, frozenset()) | contributions().role_grants.get(role, frozenset())
