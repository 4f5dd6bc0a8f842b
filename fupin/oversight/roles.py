"""What each role may do with assessment (docs/decisions/0021): city, county and town officers and
auditors read the scorecards of their region's children; the city closes its counties' period, a
county its towns'."""

from fupin.accounts.choices import Role

R = Role
VIEW = {"oversight.view_scorecard"}

GRANTS: dict[str, set[str]] = {
    R.CITY_ADMIN: VIEW | {"oversight.close_scorecard"},
    R.COUNTY_OFFICER: VIEW | {"oversight.close_scorecard"},
    R.TOWN_OFFICER: VIEW,
    R.AUDITOR: VIEW,
}
