"""What each role may do, as Django permission codenames, within its region's subtree.

Access control is part of the product's design rather than a local policy figure, so it
lives here and not in the policy app.
"""

from fupin.accounts.choices import Role

VIEW_REGISTRY = {
    "regions.view_region",
    "registry.view_household",
    "registry.view_person",
    "registry.view_householdincome",
}
EDIT_REGISTRY = {
    "registry.change_household",
    "registry.add_household",
    "registry.import_household",
    "registry.export_household",
}

ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    Role.CITY_ADMIN: frozenset(
        VIEW_REGISTRY
        | EDIT_REGISTRY
        | {
            "registry.reveal_id_number",
            "registry.export_full_ids",
            "policy.change_policyvalue",
            "accounts.manage_users",
        }
    ),
    Role.COUNTY_OFFICER: frozenset(
        VIEW_REGISTRY
        | EDIT_REGISTRY
        | {"registry.reveal_id_number", "registry.export_full_ids", "policy.change_policyvalue"}
    ),
    Role.TOWN_OFFICER: frozenset(VIEW_REGISTRY | EDIT_REGISTRY | {"registry.reveal_id_number"}),
    Role.VILLAGE_OFFICER: frozenset(VIEW_REGISTRY | EDIT_REGISTRY | {"registry.reveal_id_number"}),
    Role.CADRE: frozenset(VIEW_REGISTRY),
    Role.AUDITOR: frozenset(VIEW_REGISTRY | {"core.view_event"}),
    Role.DEPARTMENT: frozenset({"regions.view_region"}),
}


def role_permissions(role: str) -> frozenset[str]:
    """Return the permission codenames of a role."""
    return ROLE_PERMISSIONS.get(role, frozenset())
