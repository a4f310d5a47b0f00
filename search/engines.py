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
as much as the matches. On SQLite each kind is matched inside the index
(its kind column), so a kind with few matches costs little however many the
others have.
"""

from dataclasses import dataclass

from django.db import connection
from django.db.models import Case, IntegerField, Q, Value, When
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


class SQLiteEngine:
    # bm25 weights of search_fts's columns: title, keywords, body, kind. The
    # kind column must weigh nothing: its word is in every document.
    WEIGHTS = "10.0, 4.0, 1.0, 0.0"

    def _match(self, terms):
        # Terms are runs of \w only, so quoting them makes FTS5 operators
        # (AND, OR, NOT, NEAR, ^, *) plain words.
        phrases = [f'"{t}"' for t in terms]
        if completes_last_term(terms):
            phrases[-1] += "*"
        return " ".join(phrases)

    def _of_kind(self, terms, kind, columns="title keywords body"):
        """
        The FTS5 query for `terms` in `columns` of documents of `kind`: the
        index intersects the terms' posting lists with the kind's.
        """
        return f"{{{columns}}} : ({self._match(terms)}) AND kind : kind{kind}"

    def _hidden(self, kind):
        """SQL (and params) selecting the FTS rowids of the documents of `kind` readers may not see."""
        ids = _hidden_ids().get(kind)
        if ids is None:
            return "SELECT 0 WHERE 0", []  # no rows
        hidden = SearchDocument.objects.filter(kind=kind, object_id__in=ids).order_by().values("id")
        return hidden.query.sql_with_params()

    def counts(self, terms, *, cap):
        selects, params = [], []
        for kind in Kind.values:
            hidden, hidden_params = self._hidden(kind)
            selects.append(
                "SELECT %s, (SELECT COUNT(*) FROM (SELECT 1 FROM search_fts "
                f"WHERE search_fts MATCH %s AND rowid NOT IN ({hidden}) LIMIT %s))"
            )
            params += [kind, self._of_kind(terms, kind), *hidden_params, cap + 1]
        with connection.cursor() as cursor:
            cursor.execute(" UNION ALL ".join(selects), params)
            return {kind: n for kind, n in cursor.fetchall() if n}

    def hits(self, terms, kind, offset, limit):
        """
        One page of `kind`, ranked, in one statement:
        - `titles`: the visible title matches. When they alone fill the pages
          up to this one (they sort first), only they are ranked: bm25 is
          worked out for every document the page is chosen from.
        - `page`: the page's documents, ranked; the ranking reads the FTS
          index and each document's object_id, nothing else.
        - then highlights and snippets for the page's documents only (SQLite
          would otherwise work them out for each row it sorts).
        """
        hidden, hidden_params = self._hidden(kind)
        match = self._of_kind(terms, kind)
        marks = [MARK_START, MARK_END]
        with connection.cursor() as cursor:
            cursor.execute(
                f"WITH hidden(id) AS MATERIALIZED ({hidden}), "
                "titles(id) AS MATERIALIZED ("
                " SELECT rowid FROM search_fts WHERE search_fts MATCH %s AND rowid NOT IN hidden), "
                "page(id, object_id, in_title, score) AS MATERIALIZED ("
                " SELECT search_fts.rowid, d.object_id, search_fts.rowid IN titles AS in_title, "
                f" bm25(search_fts, {self.WEIGHTS}) AS score "
                " FROM search_fts JOIN search_searchdocument d ON d.id = search_fts.rowid "
                " WHERE search_fts MATCH %s AND search_fts.rowid NOT IN hidden "
                # The unary + keeps SQLite from looking each title match up
                # in search_fts, which would run the MATCH again every time.
                " AND ((SELECT COUNT(*) FROM titles) < %s OR +search_fts.rowid IN titles) "
                " ORDER BY in_title DESC, score, d.object_id LIMIT %s OFFSET %s) "
                "SELECT p.object_id, highlight(search_fts, 0, %s, %s), snippet(search_fts, 2, %s, %s, '…', 28) "
                "FROM search_fts CROSS JOIN page p ON p.id = search_fts.rowid "
                "WHERE search_fts MATCH %s "
                "ORDER BY p.in_title DESC, p.score, p.object_id",
                [
                    *hidden_params, self._of_kind(terms, kind, columns="title"),
                    match, offset + limit, limit, offset,
                    *marks, *marks, match,
                ],
            )
            rows = cursor.fetchall()
        return [
            Hit(kind=kind, object_id=pk, title_html=marked_to_html(title), snippet_html=marked_to_html(body))
            for pk, title, body in rows
        ]


class PostgresEngine:
    def _query(self, terms):
        from django.contrib.postgres.search import SearchQuery

        words = [f"'{t}'" for t in terms]
        if completes_last_term(terms):
            words[-1] += ":*"
        return SearchQuery(" & ".join(words), search_type="raw", config="simple")

    def _matching(self, terms):
        from django.contrib.postgres.search import SearchVector

        vector = (
            SearchVector("title_folded", weight="A", config="simple")
            + SearchVector("keywords_folded", weight="B", config="simple")
            + SearchVector("body_folded", weight="C", config="simple")
        )
        query = self._query(terms)
        visible = [~Q(kind=kind) | ~Q(object_id__in=ids) for kind, ids in _hidden_ids().items()]
        qs = SearchDocument.objects.annotate(vector=vector).filter(*visible, vector=query)
        return qs, vector, query

    def counts(self, terms, *, cap):
        qs, _, _ = self._matching(terms)
        selects, params = [], []
        for kind in Kind.values:
            sql, kind_params = qs.filter(kind=kind).order_by().values("pk")[: cap + 1].query.sql_with_params()
            selects.append(f"SELECT %s, (SELECT COUNT(*) FROM ({sql}) AS capped)")
            params += [kind, *kind_params]
        with connection.cursor() as cursor:
            cursor.execute(" UNION ALL ".join(selects), params)
            return {kind: n for kind, n in cursor.fetchall() if n}

    def hits(self, terms, kind, offset, limit):
        from django.contrib.postgres.search import SearchRank, SearchVector

        qs, vector, query = self._matching(terms)
        qs = (
            qs.filter(kind=kind)
            .annotate(
                title_vector=SearchVector("title_folded", config="simple"),
                rank=SearchRank(vector, query, weights=[0.05, 0.1, 0.4, 1.0]),
            )
            .annotate(
                title_hit=Case(When(title_vector=query, then=Value(1)), default=Value(0), output_field=IntegerField())
            )
            .order_by("-title_hit", "-rank", "object_id")
            .only("kind", "object_id", "title", "body")
        )[offset : offset + limit]
        return [
            Hit(
                kind=doc.kind,
                object_id=doc.object_id,
                title_html=marked_to_html(mark_terms(doc.title, terms)),
                snippet_html=marked_to_html(snippet(doc.body, terms)),
            )
            for doc in qs
        ]


def get_engine():
    return PostgresEngine() if connection.vendor == "postgresql" else SQLiteEngine()
