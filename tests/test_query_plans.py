"""The hot queries of the backfill are served by an index, whatever the statistics (PostgreSQL).

``EXPLAIN`` is read with sequential scans and sorts priced out
(``enable_seqscan``/``enable_sort`` off): the planner then shows whether an index
can serve the query in its order. Without one, the plan still holds a
``Seq Scan`` or a ``Sort`` node and the test fails. No ``ANALYZE`` is run: the
statistics are the stale ones of freshly filled tables.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.db import OperationalError, connection, transaction
from django.db.models import QuerySet
from django_tasks_db.models import DBTaskResult

from insigne.claims.services import (
    due_missions,
    invite_due_missions,
    request_resend,
    resend_missions,
    walk_in_id_order,
)
from insigne.console.views import search_missions
from insigne.missions.models import Mission
from insigne.missions.services import import_csv
from insigne.platform import planner
from tests.missions.helpers import csv_bytes, row
from tests.personas import make_mission

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="query plans are PostgreSQL's (run with DATABASE_URL=postgres://…)",
    ),
]


def nodes(plan: dict[str, Any]) -> list[dict[str, Any]]:
    found = [plan]
    for child in plan.get("Plans", []):
        found += nodes(child)
    return found


def plan_of(queryset: QuerySet[Any], *, sorts: bool = False) -> list[dict[str, Any]]:
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        if not sorts:
            cursor.execute("SET LOCAL enable_sort = off")
        text = queryset.explain(format="json")
    return nodes(json.loads(text)[0]["Plan"])


def assert_indexed(plan: list[dict[str, Any]], table: str, index: str | None = None) -> None:
    kinds = [
        (node["Node Type"], node.get("Relation Name"), node.get("Index Name")) for node in plan
    ]
    assert not [k for k in kinds if k[0] in ("Seq Scan", "Sort", "Incremental Sort")], kinds
    on_table = [k for k in kinds if k[1] == table]
    indexed = ("Index Scan", "Index Only Scan", "Bitmap Heap Scan")  # the last after a bitmap index
    assert on_table and all(k[0] in indexed for k in on_table), kinds
    if index is not None:  # on the scan itself, or on the bitmap index scan under it
        assert index in [k[2] for k in kinds], kinds


def test_picking_a_task_walks_the_pick_index() -> None:
    with transaction.atomic():
        for _ in range(50):
            resend_missions.enqueue([])
    tasks = (
        DBTaskResult.objects.ready()
        .filter(backend_name="default")
        .select_for_update(skip_locked=True)
    )
    with transaction.atomic():
        plan = plan_of(tasks[:1])
    assert_indexed(plan, DBTaskResult._meta.db_table, "insigne_task_pick_idx")


def test_the_invitation_walk_and_the_import_lookup_use_indexes() -> None:
    for number in range(30):
        make_mission(f"M-PLAN-{number}")
    due = due_missions(dt.date(2026, 7, 1)).filter(pk__gt=0).order_by("pk")
    with transaction.atomic():
        plan = plan_of(due.values_list("pk", flat=True)[:1000])
    assert_indexed(plan, Mission._meta.db_table)
    ids = [f"M-PLAN-{number}" for number in range(10)]
    lookup = Mission.objects.filter(external_id__any_of=ids).values_list(
        "external_id", "import_digest"
    )
    assert "= ANY(" in str(lookup.query)  # one array parameter, not a list of ten
    with transaction.atomic():
        assert_indexed(plan_of(lookup), Mission._meta.db_table, "missions_mission_external_id_key")


@pytest.mark.parametrize(
    ("criteria", "index"),
    [
        ({"email": "M-Plan-3@exemple.test"}, "mission_email_lower_idx"),
        ({"external_id": "m-plan-3"}, "missions_mission_external_id_key"),
        # The trigram index or the name index walked in order: the planner's choice
        # by the statistics, either of them an index.
        ({"name": "zephyrine"}, None),
    ],
)
def test_the_support_search_finds_its_rows_through_an_index(criteria, index) -> None:
    """The rows found are sorted by name afterwards: the sort is allowed here."""
    for number in range(30):
        make_mission(f"M-PLAN-{number}", given_name="Zéphyrine" if number == 3 else "Camille")
    with transaction.atomic():
        plan = plan_of(search_missions(criteria).values_list("pk", flat=True), sorts=True)
    assert index is None or index in [node.get("Index Name") for node in plan], plan
    assert "Seq Scan" not in [node["Node Type"] for node in plan], plan
    assert any(node.get("Index Name") for node in plan), plan


def test_the_resend_lookup_uses_the_lowercase_address_index() -> None:
    make_mission("M-PLAN-1")
    queries = []
    with connection.execute_wrapper(lambda run, sql, *rest: queries.append(sql) or run(sql, *rest)):
        request_resend("M-Plan-1@Exemple.test")
    (lookup,) = [sql for sql in queries if "missions_mission" in sql]
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN (FORMAT JSON) " + lookup, ["m-plan-1@exemple.test"])
        plan = nodes(cursor.fetchone()[0][0]["Plan"])
    assert_indexed(plan, Mission._meta.db_table, "mission_email_lower_idx")


def test_the_invitation_walk_stays_a_walk_when_the_statistics_say_otherwise() -> None:
    """Statistics from when invitations were few (a backfill leaves them so): planned as
    the planner likes, the walk hashed every invitation for each batch."""
    for number in range(40):
        make_mission(f"M-WALK-{number}")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE claims_invitation")  # empty: the planner believes it small
        cursor.execute(  # then a backfill's worth of invitations, unknown to the planner
            "INSERT INTO claims_invitation (mission_id, created_at, draft_given_name,"
            " draft_family_name, draft_host_name)"
            " SELECT id, now(), '', '', '' FROM missions_mission WHERE external_id < 'M-WALK-3'"
        )
    due = due_missions(dt.date(2026, 7, 1))
    walk = due.filter(pk__gt=0, invitation__isnull=True).order_by("pk").values_list("pk", flat=True)
    with walk_in_id_order():
        plan = nodes(json.loads(walk[:1000].explain(format="json"))[0]["Plan"])
    kinds = [node["Node Type"] for node in plan]
    assert "Hash Join" not in kinds and "Merge Join" not in kinds and "Gather" not in kinds, kinds
    assert "Nested Loop" in kinds, kinds
    assert "claims_invitation_mission_id_key" in [node.get("Index Name") for node in plan], plan
    with connection.cursor() as cursor:  # set back afterwards
        cursor.execute("SHOW enable_hashjoin")
        assert cursor.fetchone()[0] == "on"


def analyzed_during(call) -> list[str]:  # type: ignore[no-untyped-def]
    statements: list[str] = []

    def noting(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        if sql.startswith("ANALYZE"):
            statements.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(noting):
        call()
    return statements


def test_a_large_import_and_a_large_invitation_run_bring_the_statistics_up_to_date(
    monkeypatch,
) -> None:
    monkeypatch.setattr(planner, "ANALYZE_AFTER", 3)
    lines = [row(identifiant_mission=f"M-STAT-{n}") for n in range(3)]
    assert analyzed_during(lambda: import_csv(csv_bytes(lines), "csv", "lot.csv")) == [
        'ANALYZE "missions_mission"'
    ]
    assert analyzed_during(lambda: import_csv(csv_bytes(lines[:2]), "csv", "lot.csv")) == []
    assert analyzed_during(lambda: invite_due_missions(dt.date(2026, 7, 1))) == [
        'ANALYZE "claims_invitation", "claims_invitationlink", "mail_outgoingmail"'
    ]
    assert analyzed_during(lambda: invite_due_missions(dt.date(2026, 7, 1))) == []  # none left


def test_an_import_whose_analyze_fails_is_still_recorded_whole(monkeypatch, caplog) -> None:
    """The statistics are a help: a refused ANALYZE leaves the import's result as it is."""
    monkeypatch.setattr(planner, "ANALYZE_AFTER", 2)

    def refusing(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        if sql.startswith("ANALYZE"):
            raise OperationalError("canceling statement due to statement timeout")
        return execute(sql, params, many, context)

    lines = [row(identifiant_mission=f"M-FAIL-{n}") for n in range(3)]
    with connection.execute_wrapper(refusing):
        result = import_csv(csv_bytes(lines), "csv", "lot.csv")
    result.refresh_from_db()
    assert result.finished_at is not None and result.created == 3
    assert Mission.objects.filter(external_id__startswith="M-FAIL-").count() == 3
    assert "statistics left to autovacuum" in caplog.text
