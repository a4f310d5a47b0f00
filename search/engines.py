"""
The two full-text engines behind /search/: SQLite's FTS5 and PostgreSQL's
tsvector. Both take folded query terms and answer the same two questions —
how many hits per kind, and one page of hits of a kind, best first — so the
view never knows which database it runs on.

Ranking: documents whose title holds every term come first (a title match
beats any number of write-up mentions), then the engine's weighted score
(title 10 : keywords 4 : body 1 on SQLite; A/B/C weights on PostgreSQL).

Snippets come from the body only (dek, intro, write-ups, synopsis): text
written for readers. The keywords column is the index's helper text (split
hashtags, joined titles, credits) and reads as noise; a hit found only there
shows the body's opening instead.

Counts stop at a cap (the view's COUNT_CAP, plus one to tell "more"): a
reader needs "1,000+ lists", and counting every match of a common word costs
as much as the matches. On SQLite each kind is matched inside the index (a
range of rowids), so a kind with few matches costs little however many the
others have. Ranking has the same bound (`pool`): scoring reads every
document it ranks, so past the cap only the newest matches and the newest
title matches are ranked.
"""

from dataclasses import dataclass

from django.db import connection
from django.utils.safestring import SafeString

from articles.models import Article
from films.models import Film

from .models import SearchDocument
from .text import MARK_END, MARK_START, completes_last_term, mark_terms, marked_to_html, snippet

Kind = SearchDocument.Kind


@dataclass
class Hit:
    kind: str
    object_id: int
    title_html: SafeString
    snippet_html: SafeString
    object: object = None


def _hidden_ids():
    """
    {kind: subquery of the ids readers may not see} for the kinds that are
    not all public. Filtered at query time rather than indexed with a flag: a
    scheduled list, and the unconfirmed films it ranks, become findable the
    moment the list appears, with no job to reindex them. The hidden ones
    rather than the visible: they are few at any size (drafts, scheduled
    lists, unconfirmed films), where the visible are every list and film.
    """
    return {
        Kind.ARTICLE: Article.objects.unpublished().order_by().values("pk"),
        Kind.FILM: Film.objects.not_public().order_by().values("pk"),
    }


def _counts_by_kind(selects, params):
    """Run one `SELECT kind, count` per kind as one statement: {kind: count} for the kinds found."""
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(selects), params)
        return {kind: n for kind, n in cursor.fetchall() if n}


class SQLiteEngine:
    """
    FTS5 over search_fts, whose rowids are the documents' ids: one range of
    ids per kind, in the order of the objects' ids (SearchDocument.id_for).
    A rowid range keeps a query to one kind inside the index, and ordering
    by rowid is ordering by object_id.
    """

    def _match(self, terms, columns=None):
        # Terms are runs of \w only, so quoting them makes FTS5 operators
        # (AND, OR, NOT, NEAR, ^, *) plain words.
        phrases = [f'"{t}"' for t in terms]
        if completes_last_term(terms):
            phrases[-1] += "*"
        match = " ".join(phrases)
        return f"{{{columns}}} : ({match})" if columns else match

    def _hidden(self, kind):
        """SQL (and params) selecting the FTS rowids of the documents of `kind` readers may not see."""
        ids = _hidden_ids().get(kind)
        if ids is None:
            return "SELECT 0 WHERE 0", []  # no rows
        sql, params = ids.query.sql_with_params()
        return f"SELECT %s + pk FROM ({sql})", [SearchDocument.id_for(kind, 0), *params]

    def counts(self, terms, *, cap):
        selects, params = [], []
        for kind in Kind.values:
            hidden, hidden_params = self._hidden(kind)
            selects.append(
                "SELECT %s, (SELECT COUNT(*) FROM (SELECT 1 FROM search_fts WHERE search_fts MATCH %s "
                f"AND rowid BETWEEN %s AND %s AND rowid NOT IN ({hidden}) LIMIT %s))"
            )
            params += [kind, self._match(terms), *SearchDocument.id_range(kind), *hidden_params, cap + 1]
        return _counts_by_kind(selects, params)

    def hits(self, terms, kind, offset, limit, *, pool):
        """
        One page of `kind`, ranked, in one statement:
        - `titles`: the `pool` newest visible title matches.
        - `pool`: what is ranked. The title matches, and the `pool` newest
          visible matches unless title matches alone fill the pages up to
          this one (they sort first). Below `pool` matches that is every
          match; past it, the work stays the same however large the archive.
        - `page`: the page's documents, ranked from the FTS index alone,
          bm25 worked out for the pool's documents only.
        - then highlights and snippets for the page's documents only (SQLite
          would otherwise work them out for every row its sorter keeps).
        """
        hidden, hidden_params = self._hidden(kind)
        match, of_kind = self._match(terms), SearchDocument.id_range(kind)
        marks = [MARK_START, MARK_END]
        with connection.cursor() as cursor:
            cursor.execute(
                f"WITH hidden(id) AS MATERIALIZED ({hidden}), "
                "titles(id) AS MATERIALIZED ("
                " SELECT rowid FROM search_fts WHERE search_fts MATCH %s "
                " AND rowid BETWEEN %s AND %s AND rowid NOT IN hidden ORDER BY rowid DESC LIMIT %s), "
                "pool(id) AS MATERIALIZED ("
                " SELECT id FROM titles UNION SELECT id FROM ("
                "  SELECT rowid AS id FROM search_fts WHERE search_fts MATCH %s "
                "  AND rowid BETWEEN %s AND %s AND rowid NOT IN hidden ORDER BY rowid DESC LIMIT %s"
                " ) WHERE (SELECT COUNT(*) FROM titles) < %s), "
                "page(id, in_title, score) AS MATERIALIZED ("
                # The unary + keeps SQLite from looking each pooled id up in
                # search_fts, which would run the MATCH again every time; the
                # lower bound keeps the MATCH to the pool's range of ids.
                " SELECT rowid, +rowid IN titles AS in_title, bm25(search_fts, 10.0, 4.0, 1.0) AS score "
                " FROM search_fts WHERE search_fts MATCH %s "
                " AND rowid BETWEEN (SELECT MIN(id) FROM pool) AND %s AND +rowid IN pool "
                " ORDER BY in_title DESC, score, rowid LIMIT %s OFFSET %s) "
                "SELECT p.id - %s, highlight(search_fts, 0, %s, %s), snippet(search_fts, 2, %s, %s, '…', 28) "
                "FROM search_fts CROSS JOIN page p ON p.id = search_fts.rowid "
                "WHERE search_fts MATCH %s AND search_fts.rowid BETWEEN %s AND %s "
                "ORDER BY p.in_title DESC, p.score, p.id",
                [
                    *hidden_params,
                    self._match(terms, columns="title"),
                    *of_kind,
                    pool,
                    match,
                    *of_kind,
                    pool,
                    offset + limit,
                    match,
                    of_kind[1],
                    limit,
                    offset,
                    of_kind[0],
                    *marks,
                    *marks,
                    match,
                    *of_kind,
                ],
            )
            rows = cursor.fetchall()
        return [
            Hit(kind=kind, object_id=pk, title_html=marked_to_html(title), snippet_html=marked_to_html(body))
            for pk, title, body in rows
        ]


class PostgresEngine:
    """
    PostgreSQL's full-text search over the stored, GIN-indexed vectors of
    migration 0005: `search_vector` (title A, keywords B, body C) matches and
    ranks, `title_vector` tells the title matches. As on SQLite, one
    statement per question, counts capped and the ranking bounded by `pool`;
    highlights and snippets are made in Python for the page's rows only.
    """

    def _query(self, terms):
        """to_tsquery's text: every term (quoted; terms are runs of \\w), the last also as a prefix when it completes."""
        words = [f"'{t}'" for t in terms]
        if completes_last_term(terms):
            words[-1] += ":*"
        return " & ".join(words)

    def _visible(self, kind):
        """SQL (and params) keeping to the documents of `kind` readers may see."""
        ids = _hidden_ids().get(kind)
        if ids is None:
            return "", []
        sql, params = ids.query.sql_with_params()
        return f" AND object_id NOT IN ({sql})", list(params)

    def counts(self, terms, *, cap):
        query = self._query(terms)
        selects, params = [], []
        for kind in Kind.values:
            visible, visible_params = self._visible(kind)
            selects.append(
                "SELECT %s, (SELECT COUNT(*) FROM (SELECT 1 FROM search_searchdocument "
                f"WHERE kind = %s AND search_vector @@ to_tsquery('simple', %s){visible} LIMIT %s) AS capped)"
            )
            params += [kind, kind, query, *visible_params, cap + 1]
        return _counts_by_kind(selects, params)

    def hits(self, terms, kind, offset, limit, *, pool):
        """
        One page of `kind`, ranked, in one statement: `titles` (the `pool`
        newest visible title matches, from the title index), `pool` (those and
        the `pool` newest visible matches), then title matches first and
        ts_rank over the pool alone. The query is written out each time
        rather than shared through a CTE, so the planner sees a constant it
        can look up in the GIN indexes.
        """
        query = self._query(terms)
        visible, visible_params = self._visible(kind)
        tsquery = "to_tsquery('simple', %s)"
        with connection.cursor() as cursor:
            cursor.execute(
                "WITH titles AS MATERIALIZED ("
                f" SELECT id FROM search_searchdocument WHERE kind = %s AND title_vector @@ {tsquery}{visible}"
                " ORDER BY object_id DESC LIMIT %s), "
                "pool AS ("
                " SELECT id FROM titles UNION"
                f" (SELECT id FROM search_searchdocument WHERE kind = %s AND search_vector @@ {tsquery}{visible}"
                " ORDER BY object_id DESC LIMIT %s)) "
                "SELECT object_id, title, body FROM search_searchdocument WHERE id IN (SELECT id FROM pool) "
                "ORDER BY id IN (SELECT id FROM titles) DESC, "
                f"ts_rank('{{0.05, 0.1, 0.4, 1.0}}', search_vector, {tsquery}) DESC, object_id "
                "LIMIT %s OFFSET %s",
                [
                    kind,
                    query,
                    *visible_params,
                    pool,
                    kind,
                    query,
                    *visible_params,
                    pool,
                    query,
                    limit,
                    offset,
                ],
            )
            rows = cursor.fetchall()
        return [
            Hit(
                kind=kind,
                object_id=object_id,
                title_html=marked_to_html(mark_terms(title, terms)),
                snippet_html=marked_to_html(snippet(body, terms)),
            )
            for object_id, title, body in rows
        ]


def get_engine():
    return PostgresEngine() if connection.vendor == "postgresql" else SQLiteEngine()
