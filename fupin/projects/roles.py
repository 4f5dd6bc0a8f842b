"""What each role may do with projects (docs/decisions/0026): the village proposes, the town
screens and runs construction and operation, the county appraises, approves, accepts, qualifies
operators, runs the look-back review and approves disposals; the city may do what the county does."""

from fupin.accounts.choices import Role

R = Role
VIEW = {
    "projects.view_project",
    "projects.view_operator",
    "projects.view_rectificationplan",
    "projects.view_projectreview",
}
KEEP = {"projects.move_project", "projects.change_project_records", "projects.add_project"}
PLANS = {"projects.add_rectificationplan", "projects.change_rectificationplan"}
COUNTY = {"projects.add_operator", "projects.qualify_operator", "projects.add_projectreview"}

GRANTS: dict[str, set[str]] = {
    R.CITY_ADMIN: VIEW | KEEP | COUNTY,
    R.COUNTY_OFFICER: VIEW | KEEP | COUNTY,
    R.TOWN_OFFICER: VIEW | KEEP | PLANS | {"projects.add_operator"},
    R.VILLAGE_OFFICER: VIEW | KEEP | PLANS,
    R.CADRE: VIEW,
    R.AUDITOR: VIEW,
}
