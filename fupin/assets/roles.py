"""What each role may do with assets (docs/decisions/0031): the town finance office keeps the
asset register and the income ledger, the county and city may too; village officers and auditors
read."""

from fupin.accounts.choices import Role

R = Role
VIEW = {"assets.view_asset", "assets.view_incomeentry"}
KEEP = {"assets.add_asset", "assets.add_incomeentry"}

GRANTS: dict[str, set[str]] = {
    R.CITY_ADMIN: VIEW | KEEP,
    R.COUNTY_OFFICER: VIEW | KEEP,
    R.TOWN_OFFICER: VIEW | KEEP,
    R.VILLAGE_OFFICER: VIEW,
    R.AUDITOR: VIEW,
}
