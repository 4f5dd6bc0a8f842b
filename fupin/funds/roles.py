"""What each role may do with funds (docs/decisions/0031): the county manages fund sources and
their allocations to projects; the town finance office (村账乡代管) pays out and keeps the
microcredit loans; village officers and auditors read."""

from fupin.accounts.choices import Role

R = Role
VIEW = {
    "funds.view_fundsource",
    "funds.view_allocation",
    "funds.view_disbursement",
    "funds.view_loan",
    "funds.view_repayment",
}
MANAGE = {"funds.add_fundsource", "funds.add_allocation"}
KEEP = {"funds.add_disbursement", "funds.add_loan", "funds.add_repayment"}

GRANTS: dict[str, set[str]] = {
    R.CITY_ADMIN: VIEW | MANAGE | KEEP,
    R.COUNTY_OFFICER: VIEW | MANAGE | KEEP,
    R.TOWN_OFFICER: VIEW | KEEP,
    R.VILLAGE_OFFICER: VIEW,
    R.AUDITOR: VIEW,
}
