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
"""

from dataclasses import dataclass

from django.db import connection
from django.db.models import Case, Count, IntegerField, Q, Value, When
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
    def _match(self, terms):
        # Terms are runs of \w only, so quoting them makes FTS5 operators
        # (AND, OR, NOT, NEAR, ^, *) plain words.
        phrases = [f'"{t}"' for t in terms]
        if completes_last_term(terms):
            phrases[-1] += "*"
        return " ".join(phrases)

    def _where(self, terms):
        sql, params = ["search_fts MATCH %s"], [self._match(terms)]
        for kind, ids in _hidden_ids().items():
            ids_sql, ids_params = ids.query.sql_with_params()
            sql.append(f"(d.kind <> %s OR d.object_id NOT IN ({ids_sql}))")
            params += [kind, *ids_params]
        return " AND ".join(sql), params

    def counts(self, terms):
        where, params = self._where(terms)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT d.kind, COUNT(*) FROM search_fts "
                "JOIN search_searchdocument d ON d.id = search_fts.rowid "
                f"WHERE {where} GROUP BY d.kind",
                params,
            )
            return dict(cursor.fetchall())

    def hits(self, terms, kind, offset, limit):
        where, params = self._where(terms)
        title_match = "{title} : (" + self._match(terms) + ")"
        marks = [MARK_START, MARK_END]
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT d.kind, d.object_id, "
                "highlight(search_fts, 0, %s, %s), "
                "snippet(search_fts, 2, %s, %s, '…', 28) "
                "FROM search_fts JOIN search_searchdocument d ON d.id = search_fts.rowid "
                f"WHERE {where} AND d.kind = %s "
                "ORDER BY (d.id IN (SELECT rowid FROM search_fts WHERE search_fts MATCH %s)) DESC, "
                "bm25(search_fts, 10.0, 4.0, 1.0), d.object_id "
                "LIMIT %s OFFSET %s",
                [*marks, *marks, *params, kind, title_match, limit, offset],
            )
            rows = cursor.fetchall()
        return [
            Hit(kind=k, object_id=pk, title_html=marked_to_html(title), snippet_html=marked_to_html(body))
            for k, pk, title, body in rows
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

    def counts(self, terms):
        qs, _, _ = self._matching(terms)
        return dict(qs.order_by().values("kind").annotate(n=Count("pk")).values_list("kind", "n"))

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
