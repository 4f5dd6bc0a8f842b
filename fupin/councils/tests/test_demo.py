"""The demo gives every village with households needing help a council (issue 6)."""

from django.db.models import Count

from fupin.core.demo import demo_load
from fupin.councils.models import Council, CouncilMember, Resolution
from fupin.monitoring.choices import CaseKind, CaseStatus
from fupin.monitoring.models import Case
from fupin.pairing.services import needing_q
from fupin.registry.models import Household


def test_every_village_needing_help_has_a_council_of_the_bulletins_size(db):
    demo_load(households=400, seed=7)
    villages = set(Household.objects.filter(needing_q()).values_list("village_id", flat=True))
    councils = set(Council.objects.values_list("village_id", flat=True))
    assert villages <= councils
    # A council outlives the need: the other villages are those whose households the county let
    # out of monitoring after the councils were formed.
    exited = Case.objects.filter(kind=CaseKind.EXIT, status=CaseStatus.APPROVED)
    assert councils - villages <= set(exited.values_list("household__village_id", flat=True))
    per_council = CouncilMember.objects.values("council").annotate(n=Count("pk"))
    sizes = [row["n"] for row in per_council]
    assert min(sizes) >= 4 and max(sizes) <= 7
    assert 4.5 <= sum(sizes) / len(sizes) <= 6.5  # the bulletin: 8,054 / 1,505 = 5.35
    assert CouncilMember.objects.filter(role="chair").count() == len(councils)
    # Representatives are households of their own village, needing help.
    for member in CouncilMember.objects.filter(household__isnull=False).select_related(
        "household", "council"
    ):
        assert member.household.village_id == member.council.village_id
    # Each council adopted its articles (later demo steps add the resolutions their decisions cite).
    assert Resolution.objects.filter(adopted=True, kind="other").count() == len(councils)
    assert CouncilMember.history.count() == CouncilMember.objects.count()
