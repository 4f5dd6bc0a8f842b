"""What each role may do with assistance plans and measures."""

from fupin.accounts.choices import Role

R = Role
VIEW = {"assistance.view_assistanceplan", "assistance.view_measure"}
EDIT = VIEW | {"assistance.change_assistanceplan"}

GRANTS: dict[str, set[str]] = {
    R.CITY_ADMIN: EDIT,
    R.COUNTY_OFFICER: EDIT,
    R.TOWN_OFFICER: EDIT,
    R.VILLAGE_OFFICER: EDIT,
    R.CADRE: EDIT,
    R.AUDITOR: VIEW,
}
