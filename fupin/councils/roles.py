"""What each role may do with village councils: the village officer keeps the minutes; towns,
counties and the city may too; cadres and auditors read."""

from fupin.accounts.choices import Role

R = Role
VIEW = {"councils.view_council"}
MANAGE = VIEW | {"councils.manage_council"}

GRANTS: dict[str, set[str]] = {
    R.CITY_ADMIN: MANAGE,
    R.COUNTY_OFFICER: MANAGE,
    R.TOWN_OFFICER: MANAGE,
    R.VILLAGE_OFFICER: MANAGE,
    R.CADRE: VIEW,
    R.AUDITOR: VIEW,
}
