"""`fupin review projects --region CODE --year Y [--by USERNAME] [--out FILE.xlsx]`: the look-back review."""

from pathlib import Path

from django.utils import timezone
from django.utils.translation import gettext as _

from fupin.core.commands import FupinCommand
from fupin.core.management.acting import acting_user
from fupin.projects import choices as c

# Weak and idle projects printed at most (the review stores them all).
PRINTED = 50


class Command(FupinCommand):
    help = (
        "Classify every project in operation of a region for a year as healthy, weak or idle "
        "(look-back review), store the result, move weak and idle operating projects, and list "
        "overdue rectification and revival plans."
    )

    def add_arguments(self, parser):
        parser.add_argument("what", choices=["projects"], help="what to review")
        parser.add_argument("--region", required=True, help="12-digit region code")
        parser.add_argument("--year", required=True, type=int, help="the year reviewed")
        parser.add_argument("--by", metavar="USERNAME", help="the acting user (default: system)")
        parser.add_argument("--out", metavar="FILE.xlsx", help="also write the review as Excel")

    def handle(self, *args, what, region, year, by=None, out=None, **options):
        from fupin.projects.exporting import review_workbook
        from fupin.projects.models import RectificationPlan
        from fupin.projects.selectors import review_results
        from fupin.projects.services import review_run

        actor = acting_user(by)
        review = review_run(region_code=region, year=year, actor=actor)
        self.stdout.write(
            _(
                "回头看 #%(id)s：%(region)s %(year)s 年度，截至 %(end)s，参评 %(n)s 个项目：正常 %(healthy)s，弱质 %(weak)s，闲置 %(idle)s；转入弱质/闲置 %(moved)s 个"
            )
            % {
                "id": review.pk,
                "region": review.region.name,
                "year": year,
                "end": review.period_end.isoformat(),
                "n": review.reviewed,
                "healthy": review.healthy,
                "weak": review.weak,
                "idle": review.idle,
                "moved": review.moved,
            }
        )
        flagged = review_results(review=review).exclude(verdict=c.ReviewClass.HEALTHY)
        for result in flagged[:PRINTED]:
            self.stdout.write(
                f"{result.project.code}\t{result.project.name}\t"
                f"{c.ReviewClass(result.verdict).label}\t{result.expected}\t{result.actual}\t"
                f"{result.last_income_on or '-'}"
            )
        if review.weak + review.idle > PRINTED:
            self.stdout.write(
                _("……另有 %(more)s 个，见回头看 #%(id)s")
                % {"more": review.weak + review.idle - PRINTED, "id": review.pk}
            )
        today = timezone.localdate()
        overdue = (
            RectificationPlan.objects.filter(
                project__region__code__startswith=review.region.prefix,
                status__in=c.OPEN_PLAN_STATUSES,
                deadline__lt=today,
            )
            .select_related("project__region")
            .order_by("deadline", "id")
        )
        count = overdue.count()
        self.stdout.write(_("逾期的整改、盘活方案：%(n)s 个") % {"n": count})
        for plan in overdue[:PRINTED]:
            self.stdout.write(
                f"{plan.project.code}\t{c.PlanKind(plan.kind).label}\t{plan.deadline}\t"
                f"{plan.responsible_name}"
            )
        if out:
            Path(out).write_bytes(review_workbook(review=review, overdue=overdue, user=actor))
            self.stdout.write(_("已写入 %(path)s") % {"path": out})
