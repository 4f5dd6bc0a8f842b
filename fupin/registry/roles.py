"""What each role may do with the registry, within its region's subtree."""

from fupin.accounts.choices import Role

R = Role
VIEW = {
    "registry.view_household",
    "registry.view_person",
    "registry.view_householdincome",
}
EDIT = {
    "registry.change_household",
    "registry.add_household",
    "registry.import_household",
    "registry.export_household",
}
OFFICERS = (R.CITY_ADMIN, R.COUNTY_OFFICER, R.TOWN_OFFICER, R.VILLAGE_OFFICER)

GRANTS: dict[str, set[str]] = {
    R.CITY_ADMIN: VIEW | EDIT | {"registry.reveal_id_number", "registry.export_full_ids"},
    R.COUNTY_OFFICER: VIEW | EDIT | {"registry.reveal_id_number", "registry.export_full_ids"},
    R.TOWN_OFFICER: VIEW | EDIT | {"registry.reveal_id_number"},
    R.VILLAGE_OFFICER: VIEW | EDIT | {"registry.reveal_id_number"},
    R.CADRE: VIEW,
    R.AUDITOR: VIEW,
}
