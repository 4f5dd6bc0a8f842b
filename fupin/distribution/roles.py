"""What each role may do with income distribution (docs/decisions/0024): village and town officers
draft plans, record the council's resolution and post the notice; the town finance office
(村账乡代管), or the county, puts a plan in effect, records the payments and keeps the village
fund's ledger."""

from fupin.accounts.choices import Role

R = Role
VIEW = {"distribution.view_distributionplan", "distribution.view_villagefundentry"}
DRAFT = {"distribution.draft_plan"}
PAY = {"distribution.pay_plan", "distribution.add_villagefundentry"}

GRANTS: dict[str, set[str]] = {
    R.CITY_ADMIN: VIEW,
    R.COUNTY_OFFICER: VIEW | PAY,
    R.TOWN_OFFICER: VIEW | DRAFT | PAY,
    R.VILLAGE_OFFICER: VIEW | DRAFT,
    R.AUDITOR: VIEW,
}
