"""Attachment bytes are kept out of line without compression (PostgreSQL).

The attachments are baked PNG badges: already compressed, so PostgreSQL's attempt
to compress each one (the default ``EXTENDED`` storage) cost a badge mail about
1.5 ms of database time for nothing. ``EXTERNAL`` stores them out of line as
they are. Nothing to do on SQLite.
"""

from django.db import migrations


def store_uncompressed(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "ALTER TABLE mail_outgoingattachment ALTER COLUMN content SET STORAGE EXTERNAL"
    )


class Migration(migrations.Migration):
    dependencies = [("mail", "0005_merge_french_labels_and_pump_batches")]

    operations = [migrations.RunPython(store_uncompressed, migrations.RunPython.noop)]
