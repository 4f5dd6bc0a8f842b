"""An integrating system against pytest-django's `live_server`, and the state it builds over HTTP.

`Live` sends requests with one actor's Bearer token and no cookie (through `http.request`) and
refuses any reply outside 2xx. The chains below bring an object to the state a later write needs
with the API's own earlier writes, as a client would: a village council with an adopted
resolution, a project walked along its life, a distribution plan drafted, resolved, noticed and
in effect. All objects lie in town B (village B), the county officer's scope.
"""

import datetime as dt
import itertools
import urllib.parse

from stdnum.cn import uscc

from fupin.accounts.services import token_create, user_add
from fupin.api.tests.http import Reply, request

PASSWORD = "Correct-Horse-9"
# The actor names of the world: role and region of each account (town B's side of the county).
ACCOUNTS = {
    "village": ("village_officer", "village_b"),
    "town": ("town_officer", "town_b"),
    "department": ("department", "county"),
    "cadre": ("cadre", "county"),
    "leader": ("town_officer", "town_b"),
}
VILLAGE = "370481102201"  # village B
TOWN = "370481102000"  # town B
COUNTY = "370481000000"


def licence(n: int) -> str:
    """Return the n-th valid unified social credit code of the county."""
    base = f"91370481{n:09d}"
    return base + uscc.calc_check_digit(base)


class Live:
    """Requests of the world's actors to the live server, a token each and never a cookie."""

    def __init__(self, base: str, world):
        self.base = base
        self.world = world
        self.users = {"county": world.county}
        self.tokens = {"county": world.county_token, "anonymous": None}
        self.keys = itertools.count(1)
        self.licences = itertools.count(1)

    def user(self, actor: str):
        """Return the account of an actor, created through the accounts service on first use."""
        if actor not in self.users:
            role, region = ACCOUNTS[actor]
            self.users[actor] = user_add(
                username=f"live_{actor}",
                role=role,
                region_code=getattr(self.world.regions, region).code,
                password=PASSWORD,
            )
        return self.users[actor]

    def token(self, actor: str) -> str | None:
        if actor not in self.tokens:
            self.tokens[actor] = token_create(user=self.user(actor))[1]
        return self.tokens[actor]

    def send(
        self, method: str, path: str, body=None, *, actor: str = "county", form=None, query=None
    ) -> Reply:
        """Send one request as the actor with a fresh Idempotency-Key; return the reply as is."""
        if query:
            path = f"{path}?{urllib.parse.urlencode(query)}"
        return request(
            self.base,
            method,
            path,
            token=self.token(actor),
            json_body=body,
            form=form,
            headers={"Idempotency-Key": f"live-{next(self.keys)}"},
        )

    def ok(self, method: str, path: str, body=None, *, actor: str = "county", form=None):
        """Send a write of a chain and return its JSON; any status outside 2xx fails the test."""
        reply = self.send(method, path, body, actor=actor, form=form)
        assert 200 <= reply.status < 300, f"{method.upper()} {path}: {reply.status} {reply.text}"
        return reply.json()

    def get(self, path: str, *, actor: str = "county", **query):
        """Read over HTTP as the actor and return the JSON (200 only)."""
        reply = self.send("get", path, actor=actor, query=query)
        assert reply.status == 200, f"GET {path}: {reply.status} {reply.text}"
        return reply.json()

    # -- councils ---------------------------------------------------------------------------

    def council(self) -> int:
        """Return village B's council with three members, set up over HTTP once."""
        if not hasattr(self, "_council"):
            council = self.ok(
                "post",
                "/api/v1/councils",
                {"village_code": VILLAGE, "name": "沙村扶贫理事会", "established_on": "2018-01-01"},
            )
            for name, role in (
                ("沙理事长", "chair"),
                ("沙理事", "member"),
                ("沙监事", "supervisor"),
            ):
                self.ok(
                    "post",
                    f"/api/v1/councils/{council['id']}/members",
                    {"name": name, "role": role, "start_date": "2018-02-01"},
                )
            self._council = council["id"]
        return self._council

    def resolution(self, kind: str, held_on: str = "2021-01-10") -> int:
        """Return an adopted resolution of village B's council on a matter, voted over HTTP."""
        meeting = self.ok(
            "post",
            f"/api/v1/councils/{self.council()}/meetings",
            {
                "held_on": held_on,
                "attendees": 3,
                "minutes": "全体理事出席",
                "resolutions": [{"kind": kind, "title": f"{kind} 决议", "votes_for": 3}],
            },
        )
        (resolution,) = meeting["resolutions"]
        assert resolution["adopted"], resolution
        return resolution["id"]

    # -- projects ---------------------------------------------------------------------------

    def operator(self) -> int:
        """Return an operator of town B registered by the town and qualified by the county."""
        n = next(self.licences)
        operator = self.ok(
            "post",
            "/api/v1/projects/operators",
            {
                "name": f"沙村合作社{n}",
                "kind": "cooperative",
                "licence_no": licence(n),
                "region_code": TOWN,
                "registered_capital": "500000.00",
            },
            actor="town",
        )
        self.ok("post", f"/api/v1/projects/operators/{operator['id']}/qualify", {"note": ""})
        return operator["id"]

    def project(self, status: str = "proposed") -> int:
        """Return a project of village B proposed over HTTP and walked along its life to `status`.

        Each move is made by the role the TRANSITIONS table names, with the record it needs.
        """
        project = self.ok(
            "post",
            "/api/v1/projects",
            {"region_code": VILLAGE, "name": "沙村大棚", "category": "industry", "year": 2024},
            actor="village",
        )["id"]
        path = f"/api/v1/projects/{project}"
        walk = (
            ("screened", "town", {"data": {"opinion": "符合申报条件"}}),
            ("appraised", "county", {"data": {"opinion": "论证可行"}}),
            (
                "approved",
                "county",
                {"data": {"document_no": "滕扶〔2024〕1号", "expected_annual_return": "12000.00"}},
            ),
            ("building", "town", {}),
            ("accepted", "county", {"data": {"report_no": "验-1", "findings": "合格"}}),
            ("operating", "town", {}),
            ("weak", "county", {}),
            ("rectifying", "town", {}),
        )
        for to, actor, extra in walk:
            if to == "accepted":
                self.ok("post", f"{path}/progress", {"percent": 100}, actor="town")
            if to == "operating":
                self.ok(
                    "post",
                    f"{path}/contracts",
                    {
                        "operator_id": self.operator(),
                        "kind": "lease",
                        "start_date": "2024-01-01",
                        "annual_amount": "12000.00",
                    },
                )
            if to == "rectifying":
                self.approved_plan(project)
            self.ok("post", f"{path}/move", {"to": to, **extra}, actor=actor)
            if to == status:
                break
        assert self.get(path)["status"] == status
        return project

    def plan(self, project: int) -> int:
        """Return a rectification plan of a weak project, drawn up by the village."""
        return self.ok(
            "post",
            f"/api/v1/projects/{project}/plans",
            {
                "kind": "rectification",
                "measures": ["cooperative"],
                "deadline": "2099-01-01",
                "responsible_name": "沙主任",
            },
            actor="village",
        )["id"]

    def approved_plan(self, project: int) -> int:
        """Return a rectification plan of a weak project approved with its council's resolution."""
        plan = self.plan(project)
        self.ok(
            "post",
            f"/api/v1/projects/plans/{plan}/approve",
            {"resolution_id": self.resolution("rectification_plan")},
            actor="village",
        )
        return plan

    # -- funds --------------------------------------------------------------------------------

    def source(self, amount: str = "100000.00") -> int:
        """Return a fund source of town B registered by the county."""
        return self.ok(
            "post",
            "/api/v1/funds/sources",
            {"kind": "integrated", "year": 2024, "region": TOWN, "amount": amount},
        )["id"]

    # -- distribution ---------------------------------------------------------------------------

    def incomes(self, year: int, folder) -> None:
        """Import the year's income of village B's household H-B-1 (1 person, 100 yuan) as a file.

        The registry takes incomes only from files; the county officer imports it.
        """
        from fupin.registry.services import income_import

        path = folder / f"incomes-{year}.csv"
        path.write_text(
            "household_no,year,size,wage,business,property_income,transfer,production_cost\n"
            f"H-B-1,{year},1,100,0,0,0,0\n",
            encoding="utf-8",
        )
        result = income_import(path=path, actor=self.users["county"])
        assert result.ok and result.created == 1, result.problems

    def distribution_plan(self, status: str = "draft", year: int = 2020) -> int:
        """Return village B's plan of a year drafted by the village and moved over HTTP to `status`.

        The village's households need their incomes of the year (see `incomes`).
        """
        plan = self.ok(
            "post",
            "/api/v1/distribution/plans",
            {"village_code": VILLAGE, "year": year, "amount": "1000.00"},
            actor="village",
        )["id"]
        path = f"/api/v1/distribution/plans/{plan}"
        steps = (
            ("resolved", "resolve", "village", lambda: {"resolution_id": self.resolution(RESOLVE)}),
            ("noticed", "notice", "village", lambda: {"started_on": NOTICE}),
            ("effective", "effect", "town", lambda: {"on": EFFECT}),
        )
        for reached, action, actor, body in steps:
            if status == "draft":
                break
            self.ok("post", f"{path}/{action}", body(), actor=actor)
            if reached == status:
                break
        assert self.get(path)["status"] == status
        return plan


RESOLVE = "distribution_plan"
# The plan's dates: the council meets on 10 January 2021, the notice runs from the 15th for the
# policy's days, the plan takes effect on 1 March and is paid on the 5th.
NOTICE = "2021-01-15"
EFFECT = "2021-03-01"
PAID = "2021-03-05"


def today() -> dt.date:
    from django.utils import timezone

    return timezone.localdate()
