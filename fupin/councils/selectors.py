"""Reads of village councils, within the user's scope, and the check other apps rely on."""

from django.db.models import Count, Max, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from fupin.core.errors import Refused
from fupin.councils.models import Council, CouncilMember, Meeting, Resolution
from fupin.regions.selectors import region_get

VIEW = "councils.view_council"


def council_list(*, user, region_code: str = "") -> QuerySet[Council]:
    """Return the councils in scope (optionally under a region) with their current figures.

    A region outside the user's scope raises NotFound.
    """
    rows = Council.objects.restrict(user).select_related("village")
    if region_code:
        region = region_get(user=user, code=region_code)
        rows = rows.filter(village__code__startswith=region.prefix)
    return with_figures(rows).order_by("village_id")


def with_figures(rows: QuerySet[Council]) -> QuerySet[Council]:
    """Annotate councils with their members serving today, poor households' representatives among
    them and the date of the last meeting."""
    today = timezone.localdate()
    serving = Q(members__start_date__lte=today) & (
        Q(members__end_date__isnull=True) | Q(members__end_date__gte=today)
    )
    return rows.annotate(
        members_serving=Count("members", filter=serving, distinct=True),
        poor_representatives=Count(
            "members", filter=serving & Q(members__represents_poor=True), distinct=True
        ),
        last_meeting=Max("meetings__held_on"),
    )


def council_figures(*, council: Council) -> dict:
    """Return the council's current figures: members_serving, poor_representatives, last_meeting."""
    return (
        with_figures(Council.objects.filter(pk=council.pk))
        .values("members_serving", "poor_representatives", "last_meeting")
        .get()
    )


def council_get(*, user, council_id: int) -> Council:
    """Return one council in scope, or raise NotFound."""
    return Council.objects.select_related("village").get_restricted(user, pk=council_id)


def council_members(*, council: Council) -> QuerySet[CouncilMember]:
    """Return every member of the council, serving or not, chair first."""
    return council.members.select_related("household").order_by(
        "end_date", "role", "start_date", "id"
    )


def council_meetings(*, council: Council) -> QuerySet[Meeting]:
    """Return the council's meetings, newest first, with their resolutions."""
    return council.meetings.prefetch_related("resolutions").select_related("recorded_by")


def resolution_require(
    *, resolution_id: int | None, village_code: str, kinds: set[str] | frozenset[str]
) -> Resolution:
    """Return the adopted resolution that lets a decision of the village take effect.

    Raises `resolution_required` when none is given, it does not exist or it belongs to another
    village's council, and `resolution_mismatch` when it is of another kind or was not adopted.
    """
    if resolution_id is None:
        raise Refused(
            "resolution_required",
            _("此事项须经村级扶贫理事会决议通过"),
            {"village": village_code, "kinds": sorted(kinds)},
        )
    resolution = (
        Resolution.objects.select_related("meeting__council").filter(pk=resolution_id).first()
    )
    # Another village's resolution is never usable here; it reads exactly like a missing one, so
    # that a number cited does not tell whether it exists elsewhere or what it decided.
    if resolution is None or resolution.meeting.council.village_id != village_code:
        raise Refused(
            "resolution_required",
            _("此事项须经村级扶贫理事会决议通过"),
            {"village": village_code, "kinds": sorted(kinds), "resolution": resolution_id},
        )
    problems = {}
    if resolution.kind not in kinds:
        problems["kind"] = resolution.kind
    if not resolution.adopted:
        problems["adopted"] = False
    if problems:
        raise Refused(
            "resolution_mismatch",
            _("所引用的理事会决议不是本村就此事项通过的决议"),
            {"resolution": resolution_id, "village": village_code, "kinds": sorted(kinds)}
            | {"found": problems},
        )
    return resolution
