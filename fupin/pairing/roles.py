"""What each role may do with pairing: everyone but departments reads it; the county (and the
city) runs the allocation; a cadre records visits to their own households, officers may record
one for a cadre paired with the household (reported on paper)."""

from fupin.accounts.choices import Role

R = Role
VIEW = {
    "pairing.view_pairing",
    "pairing.view_cadre",
    "pairing.view_aidunit",
    "pairing.view_allocationrun",
    "pairing.view_visit",
}
ALLOCATE = {"pairing.allocate_pairing"}
FOR_CADRES = {"pairing.record_visit_for_cadre"}

GRANTS: dict[str, set[str]] = {
    R.CITY_ADMIN: VIEW | ALLOCATE | FOR_CADRES,
    R.COUNTY_OFFICER: VIEW | ALLOCATE | FOR_CADRES,
    R.TOWN_OFFICER: VIEW | FOR_CADRES,
    R.VILLAGE_OFFICER: VIEW | FOR_CADRES,
    R.CADRE: VIEW | {"pairing.add_visit"},
    R.AUDITOR: VIEW,
}
