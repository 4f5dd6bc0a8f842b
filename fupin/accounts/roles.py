"""What each role may do, as Django permission codenames, within its region's subtree.

Access control is part of the product's design rather than a local policy figure, so it
lives here and not in the policy app.
"""

from fupin.accounts.choices import Role

VIEW_REGISTRY = {
    "regions.view_region",
    "registry.view_household",
    "registry.view_person",
    "registry.view_householdincome",
    "monitoring.view_case",
}
# Opening a case (a cadre's finding) is open to cadres too; acting on a stage is the stage owner's alone.
OPEN_CASES = {"monitoring.add_case"}
EDIT_REGISTRY = {
    "monitoring.add_case",
    "monitoring.advance_case",
    "registry.change_household",
    "registry.add_household",
    "registry.import_household",
    "registry.export_household",
}
VIEW_ASSISTANCE = {"assistance.view_assistanceplan", "assistance.view_measure"}
VIEW_PAIRING = {
    "pairing.view_pairing",
    "pairing.view_cadre",
    "pairing.view_aidunit",
    "pairing.view_allocationrun",
    "pairing.view_visit",
}
# The allocation button is the county's (issue 5); the city may run it too.
ALLOCATE = {"pairing.allocate_pairing"}
EDIT_ASSISTANCE = VIEW_ASSISTANCE | {"assistance.change_assistanceplan"}
# Village councils (issue 6): the village officer keeps the minutes; towns and counties may too.
VIEW_COUNCILS = {"councils.view_council"}
MANAGE_COUNCILS = VIEW_COUNCILS | {"councils.manage_council"}

ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    Role.CITY_ADMIN: frozenset(
        VIEW_REGISTRY
        | EDIT_REGISTRY
        | {
            "registry.reveal_id_number",
            "registry.export_full_ids",
            "policy.change_policyvalue",
            "accounts.manage_users",
        }
        | EDIT_ASSISTANCE
        | VIEW_PAIRING
        | ALLOCATE
        | MANAGE_COUNCILS
    ),
    Role.COUNTY_OFFICER: frozenset(
        VIEW_REGISTRY
        | EDIT_REGISTRY
        | {"registry.reveal_id_number", "registry.export_full_ids", "policy.change_policyvalue"}
        | EDIT_ASSISTANCE
        | VIEW_PAIRING
        | ALLOCATE
        | MANAGE_COUNCILS
    ),
    Role.TOWN_OFFICER: frozenset(
        VIEW_REGISTRY
        | EDIT_REGISTRY
        | {"registry.reveal_id_number"}
        | EDIT_ASSISTANCE
        | VIEW_PAIRING
        | MANAGE_COUNCILS
    ),
    Role.VILLAGE_OFFICER: frozenset(
        VIEW_REGISTRY
        | EDIT_REGISTRY
        | {"registry.reveal_id_number"}
        | EDIT_ASSISTANCE
        | VIEW_PAIRING
        | MANAGE_COUNCILS
    ),
    Role.CADRE: frozenset(
        VIEW_REGISTRY | OPEN_CASES | EDIT_ASSISTANCE | VIEW_PAIRING | VIEW_COUNCILS
    ),
    Role.AUDITOR: frozenset(
        VIEW_REGISTRY | {"core.view_event"} | VIEW_ASSISTANCE | VIEW_PAIRING | VIEW_COUNCILS
    ),
    Role.DEPARTMENT: frozenset({"regions.view_region"}),
}


# Department screening (issue 4): departments send feeds; county and city officers run screenings
# and read their results.
SEND_FEEDS = frozenset({"screening.add_feedupload", "screening.view_feedupload"})
RUN_SCREENING = frozenset(
    {"screening.view_screeningrun", "screening.view_screeningflag", "screening.add_screeningrun"}
)
for _role, _granted in (
    (Role.CITY_ADMIN, RUN_SCREENING),
    (Role.COUNTY_OFFICER, RUN_SCREENING),
    (Role.DEPARTMENT, SEND_FEEDS),
):
    ROLE_PERMISSIONS[_role] = ROLE_PERMISSIONS[_role] | _granted


# Projects (issue 6, docs/decisions/0026): the village proposes, the town screens and runs
# construction and operation, the county appraises, approves, accepts, qualifies operators, runs the
# look-back review and approves disposals; the city may do what the county does.
VIEW_PROJECTS = frozenset(
    {
        "projects.view_project",
        "projects.view_operator",
        "projects.view_rectificationplan",
        "projects.view_projectreview",
    }
)
KEEP_PROJECTS = frozenset(
    {"projects.move_project", "projects.change_project_records", "projects.add_project"}
)
PROJECT_PLANS = frozenset({"projects.add_rectificationplan", "projects.change_rectificationplan"})
COUNTY_PROJECTS = frozenset(
    {"projects.add_operator", "projects.qualify_operator", "projects.add_projectreview"}
)
for _role, _granted in (
    (Role.CITY_ADMIN, VIEW_PROJECTS | KEEP_PROJECTS | COUNTY_PROJECTS),
    (Role.COUNTY_OFFICER, VIEW_PROJECTS | KEEP_PROJECTS | COUNTY_PROJECTS),
    (Role.TOWN_OFFICER, VIEW_PROJECTS | KEEP_PROJECTS | PROJECT_PLANS | {"projects.add_operator"}),
    (Role.VILLAGE_OFFICER, VIEW_PROJECTS | KEEP_PROJECTS | PROJECT_PLANS),
    (Role.CADRE, VIEW_PROJECTS),
    (Role.AUDITOR, VIEW_PROJECTS),
):
    ROLE_PERMISSIONS[_role] = ROLE_PERMISSIONS[_role] | _granted


# Visits (issue 5, docs/decisions/0017): a cadre records visits to their own households (and has the
# phone page); officers may record one for a cadre paired with the household (reported on paper).
RECORD_VISITS = frozenset({"pairing.add_visit"})
VISITS_FOR_CADRES = frozenset({"pairing.record_visit_for_cadre"})
for _role, _granted in (
    (Role.CITY_ADMIN, VISITS_FOR_CADRES),
    (Role.COUNTY_OFFICER, VISITS_FOR_CADRES),
    (Role.TOWN_OFFICER, VISITS_FOR_CADRES),
    (Role.VILLAGE_OFFICER, VISITS_FOR_CADRES),
    (Role.CADRE, RECORD_VISITS),
):
    ROLE_PERMISSIONS[_role] = ROLE_PERMISSIONS[_role] | _granted


# Funds and assets (issue 6, docs/decisions/0031): the county manages fund sources and their
# allocations to projects; the town finance office (村账乡代管) pays out, keeps the asset register,
# the income ledger and the microcredit loans; village officers and auditors read.
VIEW_FUNDS_ASSETS = frozenset(
    {
        "funds.view_fundsource",
        "funds.view_allocation",
        "funds.view_disbursement",
        "funds.view_loan",
        "funds.view_repayment",
        "assets.view_asset",
        "assets.view_incomeentry",
    }
)
MANAGE_FUNDS = frozenset({"funds.add_fundsource", "funds.add_allocation"})
KEEP_ACCOUNTS = frozenset(
    {
        "funds.add_disbursement",
        "funds.add_loan",
        "funds.add_repayment",
        "assets.add_asset",
        "assets.add_incomeentry",
    }
)
for _role, _granted in (
    (Role.CITY_ADMIN, VIEW_FUNDS_ASSETS | MANAGE_FUNDS | KEEP_ACCOUNTS),
    (Role.COUNTY_OFFICER, VIEW_FUNDS_ASSETS | MANAGE_FUNDS | KEEP_ACCOUNTS),
    (Role.TOWN_OFFICER, VIEW_FUNDS_ASSETS | KEEP_ACCOUNTS),
    (Role.VILLAGE_OFFICER, VIEW_FUNDS_ASSETS),
    (Role.AUDITOR, VIEW_FUNDS_ASSETS),
):
    ROLE_PERMISSIONS[_role] = ROLE_PERMISSIONS[_role] | _granted


# Assessment (issue 5, docs/decisions/0021): city, county and town officers and auditors read the
# scorecards of their region's children; the city closes its counties' period, a county its towns'.
VIEW_SCORECARDS = frozenset({"oversight.view_scorecard"})
CLOSE_SCORECARDS = frozenset({"oversight.close_scorecard"})
for _role, _granted in (
    (Role.CITY_ADMIN, VIEW_SCORECARDS | CLOSE_SCORECARDS),
    (Role.COUNTY_OFFICER, VIEW_SCORECARDS | CLOSE_SCORECARDS),
    (Role.TOWN_OFFICER, VIEW_SCORECARDS),
    (Role.AUDITOR, VIEW_SCORECARDS),
):
    ROLE_PERMISSIONS[_role] = ROLE_PERMISSIONS[_role] | _granted


# Income distribution (issue 6, docs/decisions/0024): village and town officers draft plans, record
# the council's resolution and post the notice; the town finance office (村账乡代管), or the county,
# puts a plan in effect, records the payments and keeps the village fund's ledger.
VIEW_DISTRIBUTION = frozenset(
    {"distribution.view_distributionplan", "distribution.view_villagefundentry"}
)
DRAFT_DISTRIBUTION = frozenset({"distribution.draft_plan"})
PAY_DISTRIBUTION = frozenset({"distribution.pay_plan", "distribution.add_villagefundentry"})
for _role, _granted in (
    (Role.CITY_ADMIN, VIEW_DISTRIBUTION),
    (Role.COUNTY_OFFICER, VIEW_DISTRIBUTION | PAY_DISTRIBUTION),
    (Role.TOWN_OFFICER, VIEW_DISTRIBUTION | DRAFT_DISTRIBUTION | PAY_DISTRIBUTION),
    (Role.VILLAGE_OFFICER, VIEW_DISTRIBUTION | DRAFT_DISTRIBUTION),
    (Role.AUDITOR, VIEW_DISTRIBUTION),
):
    ROLE_PERMISSIONS[_role] = ROLE_PERMISSIONS[_role] | _granted


def role_permissions(role: str) -> frozenset[str]:
    """Return the permission codenames of a role."""
    return ROLE_PERMISSIONS.get(role, frozenset())
