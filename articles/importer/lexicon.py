"""
The words the reader knows, per language (English, French, Spanish, German,
Japanese): section headings, page furniture, closing words. Structure finds
most furniture (counters, label–value boxes, what stands before the title or
after the conclusion); these lists name the rest.
"""

import re

# Section headings: what follows a "mentions" heading is never ranked.
SECTIONS = {
    "conclusion": [
        "conclusion",
        "in conclusion",
        "final thoughts",
        "wrapping up",
        "wrap-up",
        "to sum up",
        "closing thoughts",
        "the verdict",
        "the bottom line",
        "summing up",
        "over to you",
        "before you go",
        "en conclusion",
        "pour conclure",
        "le mot de la fin",
        "conclusión",
        "en resumen",
        "para terminar",
        "fazit",
        "schlusswort",
        "zum schluss",
        "まとめ",
        "おわりに",
        "さいごに",
        "最後に",
    ],
    "mentions": [
        "honourable mentions",
        "honorable mentions",
        "honourable mention",
        "honorable mention",
        "also worth watching",
        "also worth a watch",
        "also worth seeing",
        "bonus",
        "bonus picks",
        "bonus pick",
        "mentions honorables",
        "mentions spéciales",
        "mention spéciale",
        "mention honorable",
        "à voir aussi",
        "aussi à voir",
        "en bonus",
        "menciones honoríficas",
        "menciones especiales",
        "mención especial",
        "también merecen la pena",
        "lobende erwähnungen",
        "ehrenvolle erwähnungen",
        "außerdem sehenswert",
        "ebenfalls sehenswert",
        "番外編",
        "次点",
        "おまけ",
        "その他のおすすめ",
    ],
    "sign_off": ["sign-off"],
}
SECTION = {words: kind for kind, all_words in SECTIONS.items() for words in all_words}

_ALT = lambda words: "|".join(words)  # noqa: E731

ADVERTISEMENT = _ALT(
    [
        "advertisement",
        "advertising",
        "ad",
        "sponsored( content)?",
        "story continues below( advertisement)?",
        "continue reading below",
        "scroll to continue",
        "publicité",
        "annonce",
        "publicidad",
        "anuncio",
        "anzeige",
        "werbung",
        "広告",
        "スポンサーリンク",
        "pr",
    ]
)
SHARE = _ALT(
    [
        "share",
        "partager",
        "partagez",
        "compartir",
        "comparte",
        "teilen",
        "シェア",
        "ツイート",
        "シェアする",
    ]
)
BUTTONS = _ALT(
    [
        "reply",
        "quote",
        "report",
        "like",
        "likes",
        "save",
        "follow",
        "listen",
        "répondre",
        "responder",
        "antworten",
        "leave a comment",
        "laisser un commentaire",
        "dejar un comentario",
        "kommentieren",
        "返信",
        "いいね",
    ]
)
RATING_BUTTONS = _ALT(
    [
        "rate",
        "rate this",
        "mark as watched",
        "add to watchlist",
        "watchlist",
        "add to list",
        "watched",
        "seen it",
        "like this list\\?.*",
        "liked by [\\d.,\\s]+ (members|people)",
        "noter",
        "calificar",
        "bewerten",
    ]
)
NAVIGATION = _ALT(
    [
        "back to top",
        "to top",
        "top",
        "retour en haut",
        "haut de page",
        "volver arriba",
        "ir arriba",
        "nach oben",
        "zurück nach oben",
        "ページトップへ",
        "トップへ戻る",
        "close",
        "menu",
        "print( this)?( article)?",
    ]
)
SORT = _ALT(
    [
        r"sort by\b.*",
        r"filter(s| by)?\b.*",
        r"\d+ (titles|films|items|entries)",
        r"trier par\b.*",
        r"ordenar por\b.*",
        r"sortieren nach\b.*",
        "並び替え.*",
    ]
)
# A line that, after the article, starts what is no longer the article.
FOOTER_START = re.compile(
    r"^(©|\(c\)\s|copyright\b|recommended from\b|more from\b.{0,60}$|written by\b|get the .{1,30} app$|about the author$|"
    r"à propos de l[’']auteur|sobre el autor|über den autor|関連記事|おすすめ記事)",
    re.I,
)
# A paragraph after the last entry that speaks to the reader or about the list starts the conclusion.
CLOSING = re.compile(
    r"\b(honou?rable mentions?|in the comments|tell us|let us know|did (we|i) miss|which (one|film|movie|series|of these)|"
    r"what(’|'| i)s your|your (favou?rite|pick|list)|drop (a|your) comment|comment below|sound off|"
    r"this list|our list|the list|what would you add|leave (it|one|a note) in a (response|comment)|"
    r"en commentaire|dites-le-nous|dans les commentaires|en los comentarios|cuéntanos|in den kommentaren|"
    r"verratet uns|コメント)\b|^(thanks|thank you|merci|gracias|danke)\b",
    re.IGNORECASE,
)
# Bylines: "By", "Par", "Por", "Von", "文：", "List by", "Posted by u/…".
BYLINE = re.compile(
    r"^(?:(?:list|posted|written|words|reviewed) by|words|author|auteur|autrice|autor|autorin|by|par|por|von|"
    r"texte|texto|text)\s*:?\s+(?P<rest>.+)$|^(?:文|著|筆者|執筆|ライター|著者)\s*[：:]\s*(?P<ja>.+)$",
    re.I,
)
