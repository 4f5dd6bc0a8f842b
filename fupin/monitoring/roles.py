"""What each role may do with monitoring cases: every reader of the registry reads cases; cadres
may open one (a finding); acting on a stage is the stage owner's (checked by the stage)."""

from fupin.accounts.choices import Role

R = Role
VIEW = {"monitoring.view_case"}
ACT = {"monitoring.add_case", "monitoring.advance_case"}

GRANTS: dict[str, set[str]] = {
    R.CITY_ADMIN: VIEW | ACT,
    R.COUNTY_OFFICER: VIEW | ACT,
    R.TOWN_OFFICER: VIEW | ACT,
    R.VILLAGE_OFFICER: VIEW | ACT,
    R.CADRE: VIEW | {"monitoring.add_case"},
    R.AUDITOR: VIEW,
}
