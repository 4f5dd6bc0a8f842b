"""Writes of the households a project benefits (户次、人次)."""

from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils.translation import gettext as _

from fupin.core.errors import Conflict, InvalidInput
from fupin.core.services import event_record
from fupin.projects import choices as c
from fupin.projects.models import Project, ProjectBeneficiary
from fupin.projects.services.common import S, _locked, _require, _user
from fupin.registry.models import Household, Person


@transaction.atomic
def beneficiaries_add(
    *, project: Project | int, year: int, households: list[tuple[str, int | None]], actor
) -> dict:
    """Add (or correct the persons of) the households a project benefits in a year.

    `households` holds (household number, persons); persons None counts the household's
    members not gone. Returns {"added", "updated", "unchanged"}.
    """
    project = _locked(project, actor)
    _require(actor, c.RECORD_ROLES, "projects.change_project_records", project)
    if project.status == S.REJECTED:
        raise Conflict("project_rejected", _("项目未通过，不能登记受益户"), {})
    errors: dict[str, str] = {}
    codes: dict[str, str] = {}
    if not isinstance(year, int) or not 2000 <= year <= 2100:
        errors["year"] = _("年度不正确")
    wanted: dict[str, int | None] = {}
    for number, persons in households:
        number = str(number).strip()
        if persons is not None and (not isinstance(persons, int) or persons < 1):
            errors[number] = _("受益人数应为正整数")
            codes[number] = "invalid_persons"
        wanted[number] = persons
    if not wanted:
        errors["households"] = _("请至少填写一户")
    # Only households the actor may see are looked up: one outside the scope reads exactly like
    # one that does not exist (unknown_household), never "outside the project".
    households = Household.objects.all() if actor is None else Household.objects.restrict(actor)
    found = dict(
        households.filter(household_no__in=list(wanted), removed_on__isnull=True)
        .values_list("household_no", "pk")
        .order_by()
    )
    inside = set(
        Household.objects.filter(
            pk__in=list(found.values()), village__code__startswith=project.region.prefix
        ).values_list("household_no", flat=True)
    )
    for number in wanted:
        if number not in found:
            errors[number] = _("没有这个农户")
            codes[number] = "unknown_household"
        elif number not in inside:
            errors[number] = _("该户不在项目实施区划内")
            codes[number] = "household_outside_project"
    if errors:
        raise InvalidInput(errors, codes)
    sizes = dict(
        Person.objects.filter(household_id__in=list(found.values()), left_on__isnull=True)
        .values("household_id")
        .annotate(n=Count("pk"))
        .values_list("household_id", "n")
        .order_by()
    )
    existing = {
        b.household_id: b
        for b in ProjectBeneficiary.objects.filter(
            project=project, year=year, household_id__in=list(found.values())
        )
    }
    new, changed = [], []
    for number, persons in wanted.items():
        household_id = found[number]
        persons = persons or max(1, sizes.get(household_id, 0))
        row = existing.get(household_id)
        if row is None:
            new.append(
                ProjectBeneficiary(
                    project=project, household_id=household_id, year=year, persons=persons
                )
            )
        elif row.persons != persons:
            row.persons = persons
            changed.append(row)
    from fupin.core.bulk import history_bulk_record, last_pk

    before = last_pk(ProjectBeneficiary)
    try:
        ProjectBeneficiary.objects.bulk_create(new, batch_size=500)
    except IntegrityError:
        raise Conflict("beneficiary_conflict", _("受益户已被他人同时登记"), {}) from None
    ProjectBeneficiary.objects.bulk_update(changed, ["persons"], batch_size=500)
    history_bulk_record(
        queryset=ProjectBeneficiary.objects.filter(project=project, pk__gt=before),
        history_type="+",
        actor=_user(actor),
    )
    if changed:
        history_bulk_record(
            queryset=ProjectBeneficiary.objects.filter(pk__in=[r.pk for r in changed]),
            history_type="~",
            actor=_user(actor),
        )
    result = {
        "added": len(new),
        "updated": len(changed),
        "unchanged": len(wanted) - len(new) - len(changed),
    }
    event_record(
        actor=actor, verb="project.beneficiaries", obj=project, data={"year": year, **result}
    )
    return result
