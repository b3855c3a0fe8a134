"""An index that matches the task workers' pick query exactly.

django-tasks-db picks the next task with::

    SELECT … FROM django_tasks_database_dbtaskresult
    WHERE status = 'READY' AND (run_after = <max date> OR run_after <= now)
      AND backend_name = 'default'
    ORDER BY priority DESC, run_after ASC, enqueued_at ASC
    LIMIT 1 FOR UPDATE SKIP LOCKED

Its own index leads with ``status`` and leaves ``backend_name`` out, so with
stale statistics the planner may prefer the ``backend_name`` index and sort
every pending task. This partial index holds only ready rows, keyed by the
equality column and then the exact order: the first entry is the task, so a
pick costs one descent of the tree whatever the number of pending tasks and
whatever the statistics say. PostgreSQL and SQLite both have partial indexes
with descending keys. (A migration of ours: the table is the library's.)
"""

from __future__ import annotations

from django.db import migrations

TABLE = "django_tasks_database_dbtaskresult"
INDEX = "insigne_task_pick_idx"


class Migration(migrations.Migration):
    dependencies = [
        ("django_tasks_database", "0021_conditional_partial_index_ordering"),
    ]

    operations = [
        migrations.RunSQL(
            sql=(
                f"CREATE INDEX {INDEX} ON {TABLE} "
                "(backend_name, priority DESC, run_after, enqueued_at) WHERE status = 'READY'"
            ),
            reverse_sql=f"DROP INDEX {INDEX}",
        ),
    ]
