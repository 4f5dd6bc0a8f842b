"""What each role may do with policy: the city and the counties set values for their regions;
every role reads them (through ``regions.view_region``)."""

from fupin.accounts.choices import Role

GRANTS: dict[str, set[str]] = {
    Role.CITY_ADMIN: {"policy.change_policyvalue"},
    Role.COUNTY_OFFICER: {"policy.change_policyvalue"},
}
