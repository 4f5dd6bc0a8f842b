from fupin.accounts.tests.factories import UserFactory
from fupin.registry.tests.factories import HouseholdFactory


def test_permissions_follow_role_and_region(regions):
    household_a = HouseholdFactory(village=regions.village_a)
    household_b = HouseholdFactory(village=regions.village_b)
    officer = UserFactory(role="town_officer", region=regions.town_a)
    assert officer.has_perm("registry.view_household", household_a)
    assert not officer.has_perm("registry.view_household", household_b)
    assert officer.has_perm("registry.import_household")
    assert not officer.has_perm("policy.change_policyvalue")


def test_auditor_reads_but_never_writes(regions):
    auditor = UserFactory(role="auditor", region=regions.city)
    household = HouseholdFactory(village=regions.village_b)
    assert auditor.has_perm("registry.view_household", household)
    assert not auditor.has_perm("registry.change_household", household)
    assert not auditor.has_perm("registry.import_household")
    assert not auditor.has_perm("registry.reveal_id_number", household)


def test_user_without_region_sees_nothing(regions):
    user = UserFactory(role="", region=None)
    assert user.scope_prefix is None
    assert not user.has_perm("registry.view_household", HouseholdFactory(village=regions.village_a))


def test_department_cannot_read_households(regions):
    feed = UserFactory(role="department", region=regions.city)
    assert not feed.has_perm("registry.view_household", HouseholdFactory(village=regions.village_a))
