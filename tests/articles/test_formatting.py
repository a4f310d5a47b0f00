"""
Light formatting in write-ups, intros and conclusions: what readers see, what
nobody can inject, and plain text that reads exactly as it did before.
"""

import extruct
import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils.html import linebreaks
from lxml import html as lxml_html

from articles.models import Article
from core.prose import prose_to_text, render_prose
from tests.factories import make_list

pytestmark = pytest.mark.django_db


def get_page(client, article):
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode(), lxml_html.fromstring(response.content)


def prose_blocks(tree):
    """The rendered texts, without the conclusion's own heading (the template's, not the editor's)."""
    for heading in tree.xpath("//h2[@id='conclusion-heading']"):
        heading.drop_tree()
    return tree.xpath("//*[contains(concat(' ', @class, ' '), ' prose ')]")


def same_rendering(a, b):
    """Two HTML fragments a browser shows alike: same elements, same text, whitespace aside."""

    def shape(fragment):
        root = lxml_html.fragment_fromstring(fragment, create_parent="div")
        return [(el.tag, " ".join((el.text or "").split()), " ".join((el.tail or "").split())) for el in root.iter()]

    return shape(a) == shape(b)


def test_italics_bold_links_and_quotes_render(client):
    article = make_list(
        1,
        intro="Nothing hurts like *Your Name*.\n\n> Some films you watch; some watch you.\n\nRead **on**.",
        conclusion="See [our Ghibli list](/articles/ghibli/) or [the studio](https://www.ghibli.jp/).",
    )
    entry = article.entries.get()
    entry.write_up = "Makoto Shinkai's *5 Centimeters per Second*\nstill aches."
    entry.save()
    _, tree = get_page(client, article)
    intro = tree.xpath("//div[contains(@class, 'intro')]")[0]
    assert intro.xpath("p[1]/em/text()") == ["Your Name"]
    assert intro.xpath("blockquote/p/text()") == ["Some films you watch; some watch you."]
    assert intro.xpath("p[2]/strong/text()") == ["on"]
    conclusion = tree.xpath("//section[contains(@class, 'conclusion')]")[0]
    assert conclusion.xpath(".//a/@href") == ["/articles/ghibli/", "https://www.ghibli.jp/"]
    assert conclusion.xpath(".//a[@rel or @target]") == []
    write_up = tree.xpath("//li[@id='rank-1']//div[@class='prose']")[0]
    assert write_up.xpath("p/em/text()") == ["5 Centimeters per Second"]
    assert len(write_up.xpath("p/br")) == 1  # a single newline is still a line break


INJECTIONS = [
    "<script>alert('write-up')</script>",
    "<img src=x onerror=alert(1)>",
    "<a href='javascript:alert(1)' onclick='alert(2)'>click</a>",
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](java\tscript:alert(1))",
    "[click](<javascript:alert(1)>)",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[click](vbscript:msgbox(1))",
    "![x](https://evil.example/x.png)",
    "<iframe src='https://evil.example'></iframe>",
    "<p style='position:fixed' onmouseover='alert(1)'>hover</p>",
    "*<svg onload=alert(1)>*",
    "> <style>body{display:none}</style>",
    "<!-- a comment --><b>bold?</b>",
]


def test_injection_attempts_render_inert(client):
    payload = "\n\n".join(INJECTIONS)
    article = make_list(1, intro=payload, conclusion=payload)
    entry = article.entries.get()
    entry.write_up = payload
    entry.save()
    text, tree = get_page(client, article)
    blocks = prose_blocks(tree)
    assert len(blocks) == 3
    for block in blocks:
        tags = {el.tag for el in block.iter()} - {block.tag}
        assert tags <= {"p", "br", "em", "strong", "a", "blockquote"}, tags
        for el in block.iter():
            assert not [a for a in el.attrib if a.startswith("on") or a in ("style", "src")], (el.tag, el.attrib)
        # Only the image's address is an address on the web; it is shown as a link, not loaded.
        assert block.xpath(".//a/@href") == ["https://evil.example/x.png"]
        # Typed markup is shown as the text it was.
        assert "<script>alert('write-up')</script>" in block.text_content()
    # Only JSON-LD and the site's own script files (share.js): nothing from the write-up runs.
    assert (
        tree.xpath("count(//script[not(@type='application/ld+json') and not(starts-with(@src, '/static/js/'))])") == 0
    )
    assert tree.xpath("count(//img[@src='x'] | //iframe | //svg | //body//style)") == 0
    assert "javascript:" not in " ".join(tree.xpath("//@href | //@src"))


def test_plain_text_renders_as_before():
    """Texts typed before formatting existed: the same paragraphs, breaks and characters as |linebreaks."""
    call_command("load_demo", stdout=open("/dev/null", "w"))
    texts = [t for a in Article.objects.all() for t in (a.intro, a.conclusion, *(e.write_up for e in a.entries.all()))]
    texts += [
        "1. Your Name\n2. Weathering With You",  # not a Markdown list
        "# SadAnime is a hashtag, not a heading",
        "Setext?\n---\nNo.",
        "Tom & Jerry <3 &amp; more: 5 * 3 * 2 = 30",
        "    indented, not code",
        "snake_case_names stay whole",
        "`backticks` stay",
        "<https://example.com> stays text",
        "Line one\r\nLine two\r\n\r\nNew paragraph",
    ]
    texts = [t for t in texts if t]
    assert len(texts) > 20
    for text in texts:
        assert same_rendering(render_prose(text), linebreaks(text, autoescape=True)), text
    assert render_prose("") == ""  # |linebreaks left an empty <p> (and its margin) behind


def test_demo_page_prose_unchanged(client):
    call_command("load_demo", stdout=open("/dev/null", "w"))
    article = Article.objects.get(slug="top-20-sad-romance-anime-movies")
    _, tree = get_page(client, article)
    entries = list(article.entries.all())
    assert len(entries) == 20
    expected = [article.intro, *(e.write_up for e in entries), article.conclusion]
    rendered = [lxml_html.tostring(b, encoding="unicode") for b in prose_blocks(tree)]
    for text, block in zip(expected, rendered, strict=True):
        inner = block[block.index(">") + 1 : block.rindex("<")]
        assert same_rendering(inner, linebreaks(text, autoescape=True))
    # The drop cap styles the intro's first paragraph, which is still there.
    assert tree.xpath("//div[@class='prose intro']/*[1]")[0].tag == "p"


def test_descriptions_and_structured_data_are_plain_text(client):
    article = make_list(1, dek="", intro="*Your Name* is **not** a [date movie](https://example.com).\n\n> Quote")
    text, tree = get_page(client, article)
    plain = "Your Name is not a date movie. Quote"
    assert prose_to_text(article.intro) == plain
    assert tree.xpath("//meta[@name='description']/@content") == [plain]
    assert tree.xpath("//meta[@property='og:description']/@content") == [plain]
    data = extruct.extract(text, syntaxes=["json-ld"], uniform=True)["json-ld"]
    assert [d["description"] for d in data if d["@type"] == "Article"] == [plain]


def test_seo_fields_override_the_derived_title_and_description(client):
    article = make_list(1, title="Top 1 Sad Film", dek="The derived dek.")
    _, tree = get_page(client, article)
    assert tree.findtext(".//title") == "Top 1 Sad Film · Reel Rankings"
    assert tree.xpath("//meta[@property='og:title']/@content") == ["Top 1 Sad Film"]

    article.seo_title = "The Saddest Anime Film Ever Made"
    article.seo_description = "One film, ranked: why it still makes grown critics cry."
    article.save()
    text, tree = get_page(client, article)
    assert tree.findtext(".//title") == "The Saddest Anime Film Ever Made · Reel Rankings"
    for attr, name in [("property", "og:title"), ("name", "twitter:title")]:
        assert tree.xpath(f"//meta[@{attr}='{name}']/@content") == ["The Saddest Anime Film Ever Made"]
    for attr, name in [("name", "description"), ("property", "og:description"), ("name", "twitter:description")]:
        assert tree.xpath(f"//meta[@{attr}='{name}']/@content") == [article.seo_description]
    # The page itself and its structured data keep the list's own words.
    assert tree.xpath("//h1/text()") == ["Top 1 Sad Film"]
    data = extruct.extract(text, syntaxes=["json-ld"], uniform=True)["json-ld"]
    [art] = [d for d in data if d["@type"] == "Article"]
    assert art["headline"] == "Top 1 Sad Film" and art["description"] == "The derived dek."


def test_editor_sees_what_the_text_fields_accept(staff_client):
    article = make_list(1)
    response = staff_client.get(reverse("admin:articles_article_change", args=[article.pk]))
    page = response.content.decode()
    assert page.count("*Italics* (for film titles), **bold**") >= 3  # intro, conclusion and each write-up
    assert "SEO title" in page and "Leave empty to use the title." in page
    assert "SEO description" in page
