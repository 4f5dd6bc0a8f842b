"""Village poverty councils (村级扶贫理事会): members, meetings with minutes, resolutions."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from fupin.core.querysets import ScopedQuerySet
from fupin.councils import choices as c


class CouncilQuerySet(ScopedQuerySet):
    region_lookup = "village__code"


class Council(models.Model):
    """A village's poverty council (村级扶贫理事会), one per village."""

    village = models.OneToOneField(
        "regions.Region",
        verbose_name=_("村"),
        to_field="code",
        db_column="village_code",
        on_delete=models.PROTECT,
        related_name="council",
    )
    name = models.CharField(_("理事会名称"), max_length=100)
    established_on = models.DateField(_("成立日期"))
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    history = HistoricalRecords()

    objects = CouncilQuerySet.as_manager()

    class Meta:
        verbose_name = _("村级扶贫理事会")
        verbose_name_plural = _("村级扶贫理事会")
        ordering = ["village_id"]
        permissions = [("manage_council", _("管理理事会成员、会议和决议"))]

    def __str__(self) -> str:
        return self.name

    @property
    def region_code(self) -> str:
        return self.village_id


class MemberQuerySet(ScopedQuerySet):
    region_lookup = "council__village__code"

    def current(self, on):
        """Return the members serving on the date."""
        return self.filter(Q(end_date__isnull=True) | Q(end_date__gte=on), start_date__lte=on)


class CouncilMember(models.Model):
    """A member of a council for a term; poor-household representatives are marked."""

    council = models.ForeignKey(
        Council, verbose_name=_("理事会"), on_delete=models.PROTECT, related_name="members"
    )
    name = models.CharField(_("姓名"), max_length=50)
    role = models.CharField(_("职务"), max_length=12, choices=c.MemberRole.choices)
    represents_poor = models.BooleanField(_("贫困户代表"), default=False)
    household = models.ForeignKey(
        "registry.Household",
        verbose_name=_("所代表农户"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="council_seats",
    )
    phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    start_date = models.DateField(_("任职日期"))
    end_date = models.DateField(_("离任日期"), null=True, blank=True)
    end_reason = models.CharField(_("离任原因"), max_length=100, blank=True)
    history = HistoricalRecords()

    objects = MemberQuerySet.as_manager()

    class Meta:
        verbose_name = _("理事会成员")
        verbose_name_plural = _("理事会成员")
        ordering = ["council_id", "role", "start_date", "id"]
        constraints = [
            models.CheckConstraint(
                name="councilmember_term",
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.get_role_display()}）"


class MeetingQuerySet(ScopedQuerySet):
    region_lookup = "council__village__code"


class Meeting(models.Model):
    """A council meeting with its minutes (会议纪要)."""

    council = models.ForeignKey(
        Council, verbose_name=_("理事会"), on_delete=models.PROTECT, related_name="meetings"
    )
    held_on = models.DateField(_("会议日期"))
    place = models.CharField(_("地点"), max_length=100, blank=True)
    attendees = models.PositiveSmallIntegerField(_("出席人数"))
    minutes = models.TextField(_("会议纪要"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("记录人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    history = HistoricalRecords()

    objects = MeetingQuerySet.as_manager()

    class Meta:
        verbose_name = _("理事会会议")
        verbose_name_plural = _("理事会会议")
        ordering = ["council_id", "-held_on", "-id"]

    def __str__(self) -> str:
        return f"{self.council} {self.held_on}"


class ResolutionQuerySet(ScopedQuerySet):
    region_lookup = "meeting__council__village__code"


class Resolution(models.Model):
    """A resolution adopted at a meeting; distribution plans, disposals and rectification or
    revival plans take effect only with one of the matching kind."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("会议"), on_delete=models.PROTECT, related_name="resolutions"
    )
    kind = models.CharField(_("决议事项"), max_length=24, choices=c.ResolutionKind.choices)
    title = models.CharField(_("决议标题"), max_length=200)
    text = models.TextField(_("决议内容"), blank=True)
    votes_for = models.PositiveSmallIntegerField(_("赞成票"))
    votes_against = models.PositiveSmallIntegerField(_("反对票"), default=0)
    votes_abstain = models.PositiveSmallIntegerField(_("弃权票"), default=0)
    # Fixed when recorded, from the majority policy in force on the meeting day.
    adopted = models.BooleanField(_("已通过"))
    history = HistoricalRecords()

    objects = ResolutionQuerySet.as_manager()

    class Meta:
        verbose_name = _("理事会决议")
        verbose_name_plural = _("理事会决议")
        ordering = ["meeting_id", "id"]
        constraints = [
            models.CheckConstraint(
                name="resolution_votes_positive",
                condition=Q(votes_for__gte=0) & Q(votes_against__gte=0) & Q(votes_abstain__gte=0),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def village_code(self) -> str:
        return self.meeting.council.village_id

    @property
    def adopted_on(self):
        return self.meeting.held_on
