"""Every write operation of the OpenAPI over real HTTP: a token, no cookie, and its effect read back.

Runs against pytest-django's `live_server` with urllib, as an integrating system does (issue 10:
the suite was green while no token could write). The operations come from
`api.get_openapi_schema()`, keyed by method and path; `test_every_write_operation_has_a_case`
fails when one has no case in CASES (or a case names an operation that is gone).

A case brings the world to the state its write needs, through earlier API calls where the API
offers them (`live.Live`: a council's resolution, a project walked along its life, a plan moved
along its states) and through the project's services where it does not (a cadre's pairing, a
household's income, a leader's post). It performs the write once, with the actor that owns it,
then reads the effect back over HTTP with a token (through the ORM where no endpoint shows it).
Objects and bodies not built here are the permission suite's (town B's objects, inside the
county's scope).
"""

import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

import pytest

from fupin.api.api import api
from fupin.api.tests import live as chains
from fupin.api.tests import test_permissions as suite
from fupin.api.tests.live import COUNTY, TOWN, VILLAGE, Live

WRITES = ("post", "put", "patch", "delete")
SUITE = object()  # "the permission suite's body for this path"


def _schema_writes() -> dict[tuple[str, str], dict]:
    schema = api.get_openapi_schema()
    return {
        (method, path): op
        for path, ops in schema["paths"].items()
        for method, op in ops.items()
        if method in WRITES
    }


OPERATIONS = _schema_writes()


@dataclass(frozen=True)
class Case:
    """How one write operation is performed and checked: its actor and its given/when/then."""

    actor: str
    run: Callable


CASES: dict[tuple[str, str], Case] = {}


def case(method: str, path: str, actor: str = "county"):
    """Register the decorated function as the case of an operation, performed by the actor."""

    def register(run):
        assert (method, path) not in CASES, f"two cases for {method.upper()} {path}"
        CASES[(method, path)] = Case(actor, run)
        return run

    return register


class Write:
    """The operation under test of one case: performed once by `w(...)`, on the live server."""

    def __init__(self, live: Live, method: str, path: str, actor: str, folder):
        self.live, self.world, self.folder = live, live.world, folder
        self.method, self.path, self.actor = method, path, actor
        self.get = live.get
        self.reply = None

    def __call__(self, body=SUITE, *, form=None, **params):
        """Send the write with its path filled from `params` (else the suite's objects).

        The body defaults to the suite's; a multipart operation sends the suite's form unless
        one is given. Returns the reply's JSON after checking it succeeded as documented.
        """
        assert self.reply is None, "a case performs its operation once"

        def value(match):
            name = match.group(1)
            return str(params[name] if name in params else suite.OUT_OF_SCOPE[name](self.world))

        url = re.sub(r"\{(\w+)\}", value, self.path)
        if form is None and self.path in suite.MULTIPART and body is SUITE:
            form = _form(suite.MULTIPART[self.path]())
        if form is not None:
            body = None
        elif body is SUITE:
            body = suite.BODIES[self.path]
        self.reply = reply = self.live.send(self.method, url, body, actor=self.actor, form=form)
        where = f"{self.method.upper()} {url}: {reply.status} {reply.text[:600]}"
        assert 200 <= reply.status < 300, where
        assert str(reply.status) in {
            str(s) for s in OPERATIONS[(self.method, self.path)]["responses"]
        }, f"{where}: status not declared in the OpenAPI"
        assert "csrf" not in reply.text.lower(), reply.text
        assert not any(k.lower() == "set-cookie" for k in reply.headers), reply.headers
        return reply.json()


def _form(fields: dict) -> dict:
    """Return a form of the suite (file objects) as the multipart fields of `http.request`."""
    sent = {}
    for name, value in fields.items():
        if hasattr(value, "read"):
            value.seek(0)
            sent[name] = (
                value.name,
                value.read(),
                value.content_type or "application/octet-stream",
            )
        else:
            sent[name] = str(value)
    return sent


def _one(rows, **match):
    """Return the only row whose fields equal `match`."""
    found = [r for r in rows if all(r.get(k) == v for k, v in match.items())]
    assert len(found) == 1, (match, rows)
    return found[0]


# -- households: assistance plans ----------------------------------------------------------------

HOUSEHOLD = "/api/v1/households/{household_no}"


@case("put", f"{HOUSEHOLD}/plan")
def _plan_put(w):
    sent = {"responsible_name": "钱五", "note": "整体修改"}
    w(sent)
    plan = w.get("/api/v1/households/H-B-1/plan")
    assert (plan["exists"], plan["responsible_name"], plan["note"]) == (True, "钱五", "整体修改")


@case("patch", f"{HOUSEHOLD}/plan")
def _plan_patch(w):
    before = w.get("/api/v1/households/H-B-1/plan")
    w({"note": "只改说明"})
    plan = w.get("/api/v1/households/H-B-1/plan")
    assert plan["note"] == "只改说明"
    assert plan["responsible_name"] == before["responsible_name"]


@case("post", f"{HOUSEHOLD}/plan/measures")
def _measure_add(w):
    created = w({"category": "industry", "description": "养殖黄牛"})
    plan = w.get("/api/v1/households/H-B-1/plan")
    measure = _one(plan["measures"], id=created["id"])
    assert (measure["category"], measure["description"], measure["status"]) == (
        "industry",
        "养殖黄牛",
        "planned",
    )


@case("patch", f"{HOUSEHOLD}/plan/measures/{{measure_id}}")
def _measure_patch(w):
    w()  # {"amount": "100.00"}
    measure = w.get(f"/api/v1/households/H-B-1/plan/measures/{w.world.away_measure.pk}")
    assert Decimal(measure["amount"]) == Decimal("100.00")


@case("post", f"{HOUSEHOLD}/plan/measures/{{measure_id}}/move")
def _measure_move(w):
    w()  # {"status": "in_progress"}
    measure = w.get(f"/api/v1/households/H-B-1/plan/measures/{w.world.away_measure.pk}")
    assert measure["status"] == "in_progress"


# -- screening -------------------------------------------------------------------------------------

POPULATION = (
    f"household_no,id_number,name,relation,village_code\nS-1,370481197001016019,甲,head,{VILLAGE}\n"
)


@case("post", "/api/v1/screening/feeds", "department")
def _feed_upload(w):
    form = {
        "region": COUNTY,
        "feed": "population",
        "file": ("p.csv", POPULATION.encode(), "text/csv"),
    }
    created = w(form=form)
    feed = _one(w.get("/api/v1/screening/feeds", actor="department"), id=created["id"])
    assert (feed["region"], feed["feed"], feed["original_name"]) == (COUNTY, "population", "p.csv")
    assert feed["size"] == len(POPULATION.encode())


@case("post", "/api/v1/screening/runs")
def _run_start(w):
    # Given a department's population and income feeds of the county (one household, 10 yuan).
    feeds = {"population": POPULATION, "income": "household_no,year,wage\nS-1,2024,10\n"}
    for feed, text in feeds.items():
        w.live.ok(
            "post",
            "/api/v1/screening/feeds",
            actor="department",
            form={
                "region": COUNTY,
                "feed": feed,
                "file": (f"{feed}.csv", text.encode(), "text/csv"),
            },
        )
    run = w({"region": COUNTY, "year": 2024})
    assert run["status"] == "queued"
    # The run went through in the server (run_launch runs it inline after commit, see the test).
    done = w.get(f"/api/v1/screening/runs/{run['id']}")
    assert (done["status"], done["region"], done["year"]) == ("done", COUNTY, 2024), done
    assert done["summary"]["households_flagged"] == 1, done
    flags = w.get(f"/api/v1/screening/runs/{run['id']}/flags")
    assert [f["household_no"] for f in flags["results"]] == ["S-1"]


# -- monitoring: declarations and cases ----------------------------------------------------------


@case("post", "/api/v1/declarations", "anonymous")
def _declaration(w):
    sent = suite.BODIES["/api/v1/declarations"]
    created = w(sent)
    tracked = w.get(f"/api/v1/declarations/{created['tracking_code']}", actor="anonymous")
    assert (tracked["case_id"], tracked["stage"]) == (created["case_id"], created["stage"])
    opened = w.get(f"/api/v1/cases/{created['case_id']}")
    assert (opened["route"], opened["village_code"], opened["risk_types"]) == (
        "declaration",
        sent["village_code"],
        sent["risk_types"],
    )


@case("post", "/api/v1/declarations/{tracking_code}/photos", "anonymous")
def _declaration_photo(w):
    photo = w()
    case_id = w.world.away_declaration.case_id
    attachments = w.get(f"/api/v1/cases/{case_id}")["attachments"]
    assert _one(attachments, id=photo["id"])["kind"] == "photo"


@case("post", "/api/v1/cases/{case_id}/advance", "village")
def _case_advance(w):
    case_id = w.world.away_case.pk
    before = w.get(f"/api/v1/cases/{case_id}")
    w()  # {"stage": "notice", "decision": "return", "note": "退回"}
    after = w.get(f"/api/v1/cases/{case_id}")
    step = after["history"][-1]
    assert (step["from_stage"], step["decision"], step["note"]) == ("notice", "return", "退回")
    assert after["stage"] == step["to_stage"] != "notice"
    assert after["version"] == before["version"] + 1


@case("post", "/api/v1/cases/{case_id}/objections", "anonymous")
def _objection(w):
    created = w({"text": "申报人家中有车辆"})
    objections = w.get(f"/api/v1/cases/{w.world.away_case.pk}")["objections"]
    objection = _one(objections, id=created["id"])
    assert (objection["text"], objection["answer"]) == ("申报人家中有车辆", "")


@case("post", "/api/v1/cases/{case_id}/objections/{objection_id}/answer", "village")
def _objection_answer(w):
    w()  # {"answer": "已核实"}
    objections = w.get(f"/api/v1/cases/{w.world.away_case.pk}")["objections"]
    objection = _one(objections, id=w.world.away_objection.pk)
    assert objection["answer"] == "已核实"
    assert objection["answered_at"] is not None


@case("post", "/api/v1/cases/{case_id}/attachments")
def _attachment(w):
    fields = _form(suite.MULTIPART["/api/v1/cases/{case_id}/attachments"]())
    created = w(form=fields)
    case_id = w.world.away_case.pk
    assert _one(w.get(f"/api/v1/cases/{case_id}")["attachments"], id=created["id"])["kind"] == (
        "commitment"
    )
    download = w.live.send("get", f"/api/v1/cases/{case_id}/attachments/{created['id']}")
    assert (download.status, download.body) == (200, fields["file"][1])


@case("post", f"{HOUSEHOLD}/exit-cases")
def _exit_case(w):
    created = w({"reason": "risk_eliminated", "note": "务工收入稳定"})
    opened = w.get(f"/api/v1/cases/{created['id']}")
    assert (opened["kind"], opened["household_no"], opened["exit_reason"]) == (
        "exit",
        "H-B-1",
        "risk_eliminated",
    )


# -- pairing ---------------------------------------------------------------------------------------


@case("post", "/api/v1/pairing/visits", "cadre")
def _visit(w):
    from fupin.pairing.services import cadre_add, pairing_add, unit_add

    # Given a cadre with a login, paired with town B's household.
    county = w.live.users["county"]
    unit = unit_add(name="滕州市农业农村局", level="county", region_code=COUNTY, actor=county)
    cadre = cadre_add(
        name="钱干部",
        id_number="370481197001016027",
        unit=unit,
        user=w.live.user("cadre"),
        actor=county,
    )
    pairing_add(cadre=cadre, household=w.world.away, actor=county)
    at = "2024-05-06T09:30:00+08:00"
    created = w({"household_no": "H-B-1", "visited_at": at, "found": "看望老人"})
    visits = w.get("/api/v1/pairing/households/H-B-1/visits")
    visit = _one(visits, id=created["id"])
    assert (visit["cadre_id"], visit["found"]) == (cadre.pk, "看望老人")
    assert _instant(visit["visited_at"]) == _instant(at)


@case("post", "/api/v1/pairing/visits/{visit_id}/photos")
def _visit_photo(w):
    visit = suite.OUT_OF_SCOPE["visit_id"](w.world)
    w()
    visits = w.get("/api/v1/pairing/households/H-B-1/visits")
    assert _one(visits, id=visit)["photos"] == 1


@case("post", "/api/v1/pairing/rounds", "leader")
def _round(w):
    from fupin.accounts.services import user_set_position

    # Given town B's party secretary: a leader whose round targets are the needing households.
    user_set_position(user=w.live.user("leader"), position="town_secretary")
    at = "2024-05-06T10:00:00+08:00"
    created = w({"household_no": "H-B-1", "visited_at": at, "notes": "遍访"})
    assert created["household_no"] == "H-B-1"
    targets = w.get(
        "/api/v1/pairing/rounds/mine", actor="leader", start="2024-01-01", end="2024-12-31"
    )
    assert _one(targets, code="H-B-1")["last_visit"] == "2024-05-06"


def _instant(text: str):
    import datetime as dt

    return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))


# -- councils --------------------------------------------------------------------------------------

COUNCIL = "/api/v1/councils/{council_id}"


@case("post", "/api/v1/councils")
def _council(w):
    created = w()  # village B, 2018-01-01
    council = w.get(f"/api/v1/councils/{created['id']}")
    assert (council["village_code"], council["name"], council["established_on"]) == (
        VILLAGE,
        "理事会",
        "2018-01-01",
    )


@case("post", f"{COUNCIL}/members")
def _member(w):
    created = w()
    members = w.get(f"/api/v1/councils/{w.world.away_council.pk}")["members"]
    member = _one(members, id=created["id"])
    assert (member["name"], member["role"], member["start_date"]) == (
        "新理事",
        "member",
        "2018-02-01",
    )


@case("post", f"{COUNCIL}/members/{{member_id}}/end")
def _member_end(w):
    member = suite.OUT_OF_SCOPE["member_id"](w.world)
    w()  # {"end_date": "2018-03-01", "reason": "迁出"}
    members = w.get(f"/api/v1/councils/{w.world.away_council.pk}")["members"]
    assert {k: _one(members, id=member)[k] for k in ("end_date", "end_reason")} == {
        "end_date": "2018-03-01",
        "end_reason": "迁出",
    }


@case("post", f"{COUNCIL}/meetings")
def _meeting(w):
    created = w()
    meetings = w.get(f"/api/v1/councils/{w.world.away_council.pk}")["meetings"]
    meeting = _one(meetings, id=created["id"])
    assert (meeting["held_on"], meeting["attendees"]) == ("2018-06-01", 3)
    assert [(r["title"], r["votes_for"], r["adopted"]) for r in meeting["resolutions"]] == [
        ("决议", 3, True)
    ]


# -- distribution ----------------------------------------------------------------------------------

PLAN = "/api/v1/distribution/plans/{distribution_plan_id}"


@case("post", "/api/v1/distribution/plans", "village")
def _plan_draft(w):
    w.live.incomes(2020, w.folder)
    created = w({"village_code": VILLAGE, "year": 2020, "amount": "1000.00"})
    plan = w.get(f"/api/v1/distribution/plans/{created['id']}")
    assert (plan["status"], plan["village_code"], plan["year"]) == ("draft", VILLAGE, 2020)
    assert Decimal(plan["amount"]) == Decimal("1000.00")
    (line,) = plan["lines"]
    assert (line["household_no"], line["paid"]) == ("H-B-1", False)
    assert Decimal(line["amount"]) > 0


@case("post", f"{PLAN}/resolve", "village")
def _plan_resolve(w):
    w.live.incomes(2020, w.folder)
    plan = w.live.distribution_plan("draft")
    resolution = w.live.resolution(chains.RESOLVE)
    w({"resolution_id": resolution}, distribution_plan_id=plan)
    after = w.get(f"/api/v1/distribution/plans/{plan}")
    assert (after["status"], after["resolution_id"]) == ("resolved", resolution)


@case("post", f"{PLAN}/notice", "village")
def _plan_notice(w):
    w.live.incomes(2020, w.folder)
    plan = w.live.distribution_plan("resolved")
    w({"started_on": chains.NOTICE}, distribution_plan_id=plan)
    after = w.get(f"/api/v1/distribution/plans/{plan}")
    assert (after["status"], after["notice_started_on"]) == ("noticed", chains.NOTICE)
    assert after["notice_ends_on"] > chains.NOTICE


@case("post", f"{PLAN}/effect", "town")
def _plan_effect(w):
    w.live.incomes(2020, w.folder)
    plan = w.live.distribution_plan("noticed")
    w({"on": chains.EFFECT, "voucher_no": "转-1"}, distribution_plan_id=plan)
    after = w.get(f"/api/v1/distribution/plans/{plan}")
    assert (after["status"], after["effective_on"]) == ("effective", chains.EFFECT)
    fund = w.get(f"/api/v1/distribution/funds/{VILLAGE}")
    entry = _one(fund["entries"], plan_id=plan)
    assert (entry["kind"], entry["date"], entry["voucher_no"]) == ("in", chains.EFFECT, "转-1")
    assert Decimal(entry["amount"]) == Decimal(after["village_fund"]) > 0


@case("post", f"{PLAN}/payments", "town")
def _plan_pay(w):
    w.live.incomes(2020, w.folder)
    plan = w.live.distribution_plan("effective")
    paid = w({"paid_on": chains.PAID, "voucher_no": "付-1"}, distribution_plan_id=plan)
    assert paid["lines_paid"] == 1
    after = w.get(f"/api/v1/distribution/plans/{plan}")
    assert (after["status"], after["paid_on"]) == ("paid", chains.PAID)
    (line,) = after["lines"]
    assert (line["paid"], line["paid_on"], line["voucher_no"]) == (True, chains.PAID, "付-1")
    received = w.get("/api/v1/distribution/households/H-B-1")
    assert _one(received, plan_id=plan)["paid"] is True


@case("post", f"{PLAN}/cancel", "village")
def _plan_cancel(w):
    plan = suite.OUT_OF_SCOPE["distribution_plan_id"](w.world)
    w()  # {"reason": "重新制定"}
    after = w.get(f"/api/v1/distribution/plans/{plan}")
    assert (after["status"], after["cancel_reason"]) == ("cancelled", "重新制定")


@case("post", "/api/v1/distribution/funds/{fund_village_code}/entries")
def _fund_entry(w):
    w()  # in, 10.00, 捐赠, 2020-03-01
    fund = w.get(f"/api/v1/distribution/funds/{VILLAGE}")
    entry = _one(fund["entries"], reason="捐赠")
    assert (entry["kind"], entry["date"], Decimal(entry["amount"])) == (
        "in",
        "2020-03-01",
        Decimal("10"),
    )
    assert Decimal(fund["balance"]) == Decimal("10.00")


# -- oversight -------------------------------------------------------------------------------------


@case("post", "/api/v1/oversight/scorecard/close")
def _scorecard_close(w):
    w()  # Tengzhou, 2024
    closed = w.get("/api/v1/oversight/scorecards")
    snapshot = _one(closed, region=COUNTY)
    assert (snapshot["start"], snapshot["end"]) == ("2024-01-01", "2024-12-31")


# -- projects --------------------------------------------------------------------------------------

PROJECT = "/api/v1/projects/{project_id}"


@case("post", "/api/v1/projects", "village")
def _project_propose(w):
    created = w()
    project = w.get(f"/api/v1/projects/{created['id']}")
    assert (project["region_code"], project["name"], project["status"], project["year"]) == (
        VILLAGE,
        "沙村大棚",
        "proposed",
        2024,
    )


@case("post", "/api/v1/projects/operators", "town")
def _operator_add(w):
    sent = {
        "name": "沙村合作社",
        "kind": "cooperative",
        "licence_no": chains.licence(501),
        "region_code": TOWN,
        "registered_capital": "300000.00",
    }
    created = w(sent)
    operator = _one(w.get("/api/v1/projects/operators"), id=created["id"])
    assert (operator["licence_no"], operator["region_code"], operator["qualified"]) == (
        sent["licence_no"],
        TOWN,
        False,
    )
    assert Decimal(operator["registered_capital"]) == Decimal("300000.00")


@case("post", "/api/v1/projects/operators/{operator_id}/qualify")
def _operator_qualify(w):
    operator = suite.OUT_OF_SCOPE["operator_id"](w.world)
    w()
    found = _one(w.get("/api/v1/projects/operators"), id=operator)
    assert found["qualified"] is True
    assert found["qualified_at"] is not None


@case("post", "/api/v1/projects/plans/{plan_id}/approve", "village")
def _project_plan_approve(w):
    project = w.live.project("weak")
    plan = w.live.plan(project)
    resolution = w.live.resolution("rectification_plan")
    w({"resolution_id": resolution}, plan_id=plan)
    plans = w.get(f"/api/v1/projects/{project}/records")["plans"]
    assert {k: _one(plans, id=plan)[k] for k in ("status", "resolution_id")} == {
        "status": "approved",
        "resolution_id": resolution,
    }


@case("post", "/api/v1/projects/reviews")
def _review(w):
    created = w()  # town B, 2024
    review = w.get(f"/api/v1/projects/reviews/{created['id']}")
    assert (review["region_code"], review["year"]) == (TOWN, 2024)
    assert _one(w.get("/api/v1/projects/reviews"), id=created["id"])


@case("post", f"{PROJECT}/move", "town")
def _project_move(w):
    project = w.live.project("weak")
    plan = w.live.approved_plan(project)
    w({"to": "rectifying", "note": "按方案整改"}, project_id=project)
    assert w.get(f"/api/v1/projects/{project}")["status"] == "rectifying"
    move = w.get(f"/api/v1/projects/{project}/records")["moves"][-1]
    assert (move["from_status"], move["to_status"], move["note"]) == (
        "weak",
        "rectifying",
        "按方案整改",
    )
    assert move["record"]["plan"] == plan


@case("post", f"{PROJECT}/progress", "town")
def _project_progress(w):
    project = w.live.project("building")
    on = chains.today().isoformat()
    created = w({"percent": 40, "on": on, "note": "主体完工"}, project_id=project)
    progress = w.get(f"/api/v1/projects/{project}/records")["progress"]
    entry = _one(progress, id=created["id"])
    assert (entry["percent"], entry["on"], entry["note"]) == (40, on, "主体完工")


@case("post", f"{PROJECT}/contracts")
def _contract(w):
    project = w.live.project("accepted")
    operator = w.live.operator()
    sent = {
        "operator_id": operator,
        "kind": "shares",
        "start_date": "2024-01-01",
        "annual_amount": "8000.00",
        "contract_no": "合-1",
    }
    created = w(sent, project_id=project)
    contracts = w.get(f"/api/v1/projects/{project}/records")["contracts"]
    contract = _one(contracts, id=created["id"])
    assert (contract["operator_id"], contract["kind"], contract["contract_no"]) == (
        operator,
        "shares",
        "合-1",
    )
    assert Decimal(contract["annual_amount"]) == Decimal("8000.00")


@case("post", f"{PROJECT}/beneficiaries")
def _beneficiaries(w):
    project = suite.OUT_OF_SCOPE["project_id"](w.world)
    result = w()  # 2024: H-B-1
    assert result["added"] == 1
    rows = w.get(f"/api/v1/projects/{project}/beneficiaries", year=2024)
    assert [(r["household_no"], r["year"], r["persons"]) for r in rows] == [("H-B-1", 2024, 1)]


@case("post", f"{PROJECT}/plans", "village")
def _project_plan(w):
    project = w.live.project("weak")
    created = w(
        {
            "kind": "rectification",
            "measures": ["cooperative", "change_operator"],
            "deadline": "2099-01-01",
            "responsible_name": "沙主任",
        },
        project_id=project,
    )
    plan = _one(w.get(f"/api/v1/projects/{project}/records")["plans"], id=created["id"])
    assert (plan["status"], plan["measures"], plan["deadline"]) == (
        "draft",
        ["cooperative", "change_operator"],
        "2099-01-01",
    )


# -- funds -----------------------------------------------------------------------------------------


@case("post", "/api/v1/funds/sources")
def _source(w):
    created = w()  # integrated, 2018, town B, 1000.00
    source = w.get(f"/api/v1/funds/sources/{created['id']}")
    assert (source["kind"], source["year"], source["region"]) == ("integrated", 2018, TOWN)
    assert Decimal(source["amount"]) == Decimal(source["unallocated"]) == Decimal("1000.00")


@case("post", "/api/v1/funds/sources/{source_id}/allocations")
def _allocation(w):
    source = w.live.source("100000.00")
    project = w.live.project("approved")
    sent = {"project_id": project, "amount": "30000.00", "allocated_on": "2024-03-01"}
    created = w(sent, source_id=source)
    allocation = w.get(f"/api/v1/funds/allocations/{created['id']}")
    assert (allocation["source_id"], allocation["project_id"], allocation["allocated_on"]) == (
        source,
        project,
        "2024-03-01",
    )
    assert Decimal(allocation["amount"]) == Decimal("30000.00")
    left = w.get(f"/api/v1/funds/sources/{source}")["unallocated"]
    assert Decimal(left) == Decimal("70000.00")


@case("post", "/api/v1/funds/allocations/{allocation_id}/disbursements")
def _disbursement(w):
    allocation = suite.OUT_OF_SCOPE["allocation_id"](w.world)
    created = w()  # 1.00, 记-1, 2018-04-01
    after = w.get(f"/api/v1/funds/allocations/{allocation}")
    paid = _one(after["disbursements"], id=created["id"])
    assert (paid["voucher_no"], paid["paid_on"], Decimal(paid["amount"])) == (
        "记-1",
        "2018-04-01",
        Decimal("1.00"),
    )
    assert Decimal(after["disbursed"]) == Decimal("1.00")


@case("post", "/api/v1/funds/loans")
def _loan(w):
    created = w()
    loan = w.get(f"/api/v1/funds/loans/{created['id']}")
    assert (loan["household_no"], loan["bank"], loan["start_date"], loan["term_months"]) == (
        "H-B-1",
        "滕州农商银行",
        "2018-03-01",
        12,
    )
    assert Decimal(loan["amount"]) == Decimal(loan["outstanding"]) == Decimal("10000.00")


@case("post", "/api/v1/funds/loans/{loan_id}/repayments")
def _repayment(w):
    loan = suite.OUT_OF_SCOPE["loan_id"](w.world)
    created = w()  # 2019-03-01, principal 1.00, 还-1
    after = w.get(f"/api/v1/funds/loans/{loan}")
    repayment = _one(after["repayments"], id=created["id"])
    assert (repayment["paid_on"], repayment["voucher_no"]) == ("2019-03-01", "还-1")
    assert Decimal(after["principal_repaid"]) == Decimal("1.00")
    assert Decimal(after["outstanding"]) == Decimal("29999.00")


# -- assets ----------------------------------------------------------------------------------------


@case("post", "/api/v1/assets")
def _asset(w):
    created = w()
    asset = w.get(f"/api/v1/assets/{created['id']}")
    assert (asset["name"], asset["village_code"], asset["formed_on"]) == (
        "光伏电站",
        VILLAGE,
        "2018-10-01",
    )
    assert Decimal(asset["value"]) == Decimal("1000.00")


@case("post", "/api/v1/assets/{asset_id}/fundings")
def _asset_funding(w):
    # Given an accepted project paid 20,000 yuan out of a source, and the asset it formed.
    source = w.live.source("50000.00")
    project = w.live.project("accepted")
    allocation = w.live.ok(
        "post",
        f"/api/v1/funds/sources/{source}/allocations",
        {"project_id": project, "amount": "20000.00", "allocated_on": "2024-03-01"},
    )
    w.live.ok(
        "post",
        f"/api/v1/funds/allocations/{allocation['id']}/disbursements",
        {"amount": "20000.00", "voucher_no": "记-9", "paid_on": "2024-04-01"},
    )
    asset = w.live.ok(
        "post",
        "/api/v1/assets",
        {
            "name": "沙村大棚",
            "category": "operating",
            "owner_kind": "village",
            "village_code": VILLAGE,
            "value": "25000.00",
            "formed_on": "2024-05-01",
            "project_id": project,
        },
    )
    created = w({"source_id": source, "amount": "20000.00"}, asset_id=asset["id"])
    assert created["source_id"] == source
    fundings = w.get(f"/api/v1/assets/{asset['id']}")["fundings"]
    assert [(f["source_id"], Decimal(f["amount"])) for f in fundings] == [
        (source, Decimal("20000.00"))
    ]


@case("post", "/api/v1/assets/{asset_id}/income")
def _asset_income(w):
    asset = suite.OUT_OF_SCOPE["asset_id"](w.world)
    created = w()
    entries = w.get(f"/api/v1/assets/{asset}")["income_entries"]
    entry = _one(entries, id=created["id"])
    assert (entry["kind"], entry["voucher_no"], entry["received_on"], Decimal(entry["amount"])) == (
        "rent",
        "收-1",
        "2019-07-01",
        Decimal("100.00"),
    )


# -- the tests -------------------------------------------------------------------------------------


def test_every_write_operation_has_a_case():
    missing = [f"{m.upper()} {p}" for m, p in OPERATIONS if (m, p) not in CASES]
    assert not missing, f"write operations without a live-server case: {missing}"
    gone = [f"{m.upper()} {p}" for m, p in CASES if (m, p) not in OPERATIONS]
    assert not gone, f"cases of operations the OpenAPI no longer has: {gone}"
    assert len(OPERATIONS) >= 40


@pytest.mark.parametrize(("method", "path"), list(OPERATIONS))
def test_a_token_without_cookie_performs_the_write_and_it_takes_effect(
    live_server, world, monkeypatch, tmp_path, method, path
):
    from fupin.screening import services as screening

    assert (method, path) in CASES, f"{method.upper()} {path} has no case"
    # A screening runs in a thread of the server after commit; here inline, so that its result is
    # there to read when the request returns and nothing outlives the test.
    monkeypatch.setattr(
        screening, "run_launch", lambda run_id: screening.run_execute(run_id=run_id)
    )
    case_ = CASES[(method, path)]
    write = Write(Live(live_server.url, world), method, path, case_.actor, tmp_path)
    case_.run(write)
    assert write.reply is not None, f"the case of {method.upper()} {path} never performed it"
