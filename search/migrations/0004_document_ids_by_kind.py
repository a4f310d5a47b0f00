"""
Search documents get the ids SearchDocument.id_for gives them: a block of
ids per kind (2**48 wide), in the order of the objects' ids. On SQLite the
FTS5 index's rowids are these ids, so a search keeps to one kind with a
rowid range the index seeks to itself, and orders ties by object without
reading search_searchdocument. The triggers of migration 0002 move each
document's index entry to its new id; the index is then rebuilt, because
moving every entry leaves it in thousands of small segments (counting
"love" per kind took twice as long).

The blocks are copied here, as they were when this ran. Migrating back keeps
the new ids: any ids do for the code before.
"""

from django.db import migrations

BLOCK_SIZE = 2**48
BLOCKS = {"article": 1, "film": 2, "person": 3, "studio": 4}


def renumber(apps, schema_editor):
    # Every new id is at least 2**48, past every id given so far, so no
    # row takes an id another still has.
    cases = " ".join(f"WHEN '{kind}' THEN {block * BLOCK_SIZE}" for kind, block in BLOCKS.items())
    schema_editor.execute(f"UPDATE search_searchdocument SET id = CASE kind {cases} END + object_id")
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("INSERT INTO search_fts(search_fts) VALUES ('rebuild')")


class Migration(migrations.Migration):
    dependencies = [("search", "0003_search_studios")]

    operations = [migrations.RunPython(renumber, migrations.RunPython.noop, elidable=False)]
