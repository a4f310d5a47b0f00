"""
On SQLite: the FTS5 index gains a fourth, indexed column, the document's
kind, so a search for lists only is answered inside the index
(`... AND kind : kindarticle`: FTS5 intersects two posting lists) instead of
matching every list, film and person and then reading each match's row in
search_searchdocument to drop the wrong kinds.

The kind is indexed as one made-up word per kind ("kindarticle",
"kindfilm"…), read through the view search_fts_source: the plain words
"film" and "studio" are in most documents' text (the word "film" is written
four million times at magazine scale), so their posting lists would be as
long as the index itself. Queries put the reader's words under a column
filter ({title keywords body}), so a reader's "film" never matches the
kind column, and give the kind column a weight of 0 in bm25.

Note: if a later migration makes SQLite rebuild search_searchdocument (most
AlterField operations do), drop the view and the triggers first and recreate
them after; SQLite refuses to rename a table over a view that names it.

PostgreSQL needs nothing here.
"""

from django.db import migrations

DROP = [
    "DROP TRIGGER IF EXISTS search_fts_update",
    "DROP TRIGGER IF EXISTS search_fts_delete",
    "DROP TRIGGER IF EXISTS search_fts_insert",
    "DROP TABLE IF EXISTS search_fts",
    "DROP VIEW IF EXISTS search_fts_source",
]

CREATE_WITH_KIND = [
    """CREATE VIEW search_fts_source AS
        SELECT id, title, keywords, body, 'kind' || kind AS kind FROM search_searchdocument""",
    """CREATE VIRTUAL TABLE search_fts USING fts5(
        title, keywords, body, kind,
        content='search_fts_source', content_rowid='id',
        tokenize='unicode61 remove_diacritics 2'
    )""",
    """CREATE TRIGGER search_fts_insert AFTER INSERT ON search_searchdocument BEGIN
        INSERT INTO search_fts(rowid, title, keywords, body, kind)
        VALUES (new.id, new.title, new.keywords, new.body, 'kind' || new.kind);
    END""",
    """CREATE TRIGGER search_fts_delete AFTER DELETE ON search_searchdocument BEGIN
        INSERT INTO search_fts(search_fts, rowid, title, keywords, body, kind)
        VALUES ('delete', old.id, old.title, old.keywords, old.body, 'kind' || old.kind);
    END""",
    """CREATE TRIGGER search_fts_update AFTER UPDATE ON search_searchdocument BEGIN
        INSERT INTO search_fts(search_fts, rowid, title, keywords, body, kind)
        VALUES ('delete', old.id, old.title, old.keywords, old.body, 'kind' || old.kind);
        INSERT INTO search_fts(rowid, title, keywords, body, kind)
        VALUES (new.id, new.title, new.keywords, new.body, 'kind' || new.kind);
    END""",
    "INSERT INTO search_fts(search_fts) VALUES ('rebuild')",
]

# Migration 0002's index, for migrating back.
CREATE_WITHOUT_KIND = [
    """CREATE VIRTUAL TABLE search_fts USING fts5(
        title, keywords, body,
        content='search_searchdocument', content_rowid='id',
        tokenize='unicode61 remove_diacritics 2'
    )""",
    """CREATE TRIGGER search_fts_insert AFTER INSERT ON search_searchdocument BEGIN
        INSERT INTO search_fts(rowid, title, keywords, body)
        VALUES (new.id, new.title, new.keywords, new.body);
    END""",
    """CREATE TRIGGER search_fts_delete AFTER DELETE ON search_searchdocument BEGIN
        INSERT INTO search_fts(search_fts, rowid, title, keywords, body)
        VALUES ('delete', old.id, old.title, old.keywords, old.body);
    END""",
    """CREATE TRIGGER search_fts_update AFTER UPDATE ON search_searchdocument BEGIN
        INSERT INTO search_fts(search_fts, rowid, title, keywords, body)
        VALUES ('delete', old.id, old.title, old.keywords, old.body);
        INSERT INTO search_fts(rowid, title, keywords, body)
        VALUES (new.id, new.title, new.keywords, new.body);
    END""",
    "INSERT INTO search_fts(search_fts) VALUES ('rebuild')",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "sqlite":
            return
        for sql in statements:
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0003_search_studios")]

    operations = [
        migrations.RunPython(_run(DROP + CREATE_WITH_KIND), _run(DROP + CREATE_WITHOUT_KIND), elidable=False)
    ]
