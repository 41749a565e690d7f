"""Article mode: keep the article, drop the site printed around it.

A web page printed to PDF carries the article and the site around it: navigation bars, share
buttons, cookie and newsletter boxes, "most read" teasers, comments, footers. This stage finds
the article the way readability and trafilatura do on HTML, but on layout: text density, link
density, the body's font and column, the title as the anchor where the article begins.

Rules, in the order they apply (each removal goes to ``doc.removed`` with reason
``"boilerplate"``; ``--all`` keeps everything):

1. Chrome by content, any position: ``boilerplate-phrase`` (short blocks about sharing,
   subscribing, newsletters, comments, copyright; "Share this article", "© 2020 X"; a longer block
   needs two such phrases), cookie/consent notices at any length, comment-section notices,
   ``photo-credit`` (captions with a credit, "(Image: GETTY)", gallery counters "Image 1 of 23"),
   copies of the browser's print header left in the text, ``repeated`` short blocks printed at
   the same place on several pages, and link lists (half the characters or more under links).
2. ``body-style``: the article's body is the font (family and size) and the column (x-extent)
   that carry most of the words of long, sentence-like, link-free blocks that are not chrome.
   ``off-column``: a block wholly beside that column, much narrower or in another font, is a
   sidebar (a second column of the same width and font is body).
3. ``dense-region``: the article is the contiguous run of blocks (reading order, across pages)
   with the most body text: body-font running text counts for its words; chrome counts against.
   A maximum-sum window picks it (Kadane), so a nav bar before and a footer after fall away.
4. ``title-anchor``: the article starts at its title: the heading, set larger than the body, that
   matches the printed page title and comes before the body (``metadata.title_candidates``);
   failing that, the largest heading above the body. The byline, date and dek between the title
   and the first paragraph come with it. A moved title moves the metadata title, byline, date.
5. ``body-end``: trailing blocks that are not in the body font ("About Example Corp" in small
   print) are not the article.
6. ``end-marker``: after the body has begun, a short heading that opens a site section ends the
   article: comments ("3 Comments", "Leave a Reply", "Top Rated Comments") always; "Related
   stories", "Most read", "More from ...", "You may also like" unless running text resumes right
   after it (a related-links box inside the article is dropped, not an end).
7. ``author-bio``: a closing note about the author ("Meg James is a reporter for ...", or an
   author box: the byline's name over a paragraph naming them) ends the article.
8. ``inside``: within the article, chrome blocks are dropped, and ``near-duplicate`` copies of
   a caption or pull quote (the shorter goes). Kept: lists, tables, block quotes, captions,
   subheadings, callouts ("Related article: ..."), all-link lines that continue a sentence
   (``continuation``): an article is kept whole.

Mode: ``doc.options["article"]`` None runs on web pages only (``is_web_page``: the print header
seen, or a browser's user agent as the PDF's Creator), True runs on any document, False never.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

from reflow.model import Block, Document, Removed
from reflow.structure.metadata import (
    is_web_page,
    page_title,
    refresh_near_title,
    set_title,
    strip_site,
    title_candidates,
)

WORD = re.compile(r"\w+")
SENTENCE_END = re.compile(r"[.!?…:;。！？][\"'”’»)\]]*$")

# Phrases of site chrome. Strong ones mark any short block ("Sign up for our newsletter.",
# "© 2020 Example Media"); weak ones only a short line that is not a sentence ("Comments",
# "Related", "Facebook"), since a body sentence may say "declined to comment".
BOILERPLATE = re.compile(
    # calls to action and site notices: one is enough on a short block
    r"\bprivacy (?:policy|settings|notice)\b|\bterms (?:of|and) (?:use|service)\b|"
    r"\ball rights reserved\b|©|"
    r"\b(?:sign up|subscribe|register)(?: now| today| here)? (?:for|to) (?:our|free|get)\b|"
    r"\b(?:sign up|subscribe) (?:for|to) (?:the|a|this) (?:\w+ ){0,2}(?:newsletter|briefing|digest)\b|"
    r"^(?:sign up|subscribe|register|join now)\b|"
    r"\bour (?:daily |weekly |free )?newsletters?\b|\bin your inbox\b|\byour e-?mail address\b|"
    r"\bshare (?:this|on|via|it with)\b|^share\b|\bcopy link\b|\bshort url\b|"
    r"^advertisements?\b|^advertising\b|^sponsored\b|\bpartner content\b|"
    r"\bskip to\b|\bback to top\b|\bfollow us\b|\bdownload (?:the|our) app\b|"
    r"\bcontinue reading\b|\bclick here\b|\bview comments\b|\bshow comments\b|"
    r"\bleave a (?:reply|comment)\b|\brequired fields\b|\bwill not be published\b|"
    r"\bteilen\b|\banzeige\b|\bwerbung\b|\bcompartilh|\bcondividi\b|\bpartager\b|"
    r"\bbagikan\b|\bподелиться\b|\bреклама\b|"
    r"\bunsubscribe\b|\bno spam\b|\b(?:breaking )?news (?:alerts|e-?mails)\b|"
    r"\bwill open in a new (?:window|tab)\b|^sharing is caring\b|"
    r"\bcommenters\b|\byour comment\b|\bcomments? (?:are|is) (?:closed|moderated)\b|"
    r"\bcomment(?:ing)? (?:policy|guidelines|rules)\b|\b(?:log|sign)(?:ged)? in to (?:comment|post)\b|"
    r"\bto post a comment\b|\bpost limit\b|\bbe respectful\b|"
    r"\b\d+\s*min(?:ute)?s?\.? read\b|\breading time\b|\btempo de leitura\b|\blesezeit\b|"
    r"\btemps de lecture\b|\btiempo de lectura\b|"
    r"\bdelivered (?:to|straight to|right to|through) your\b|"
    r"\bdelivered (?:every|each) (?:day|week|weekday|morning)\b|\bdelivered (?:weekday|daily)\b|"
    r"\bjoin (?:our|the) (?:community|forums?|newsletter|mailing list)\b|\bissues for [£$€]",
    re.IGNORECASE,
)


# The long alternations as written, before _word_start (the tests hold the fast ones to them).
AS_WRITTEN: dict[str, re.Pattern] = {}


def _alternatives(pattern: str) -> list[str]:
    """The top-level alternatives of a regular expression (escapes, groups and classes kept)."""
    parts, cur, depth, i, in_class = [], [], 0, 0, False
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            cur.append(pattern[i : i + 2])
            i += 2
            continue
        if in_class:
            in_class = c != "]"
        elif c == "[":
            in_class = True
        elif c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        elif c == "|" and depth == 0:
            parts.append("".join(cur))
            cur = []
            i += 1
            continue
        cur.append(c)
        i += 1
    parts.append("".join(cur))
    return parts


def _word_start(p: re.Pattern) -> re.Pattern:
    """The same pattern, tried only where one of its alternatives can begin (the start of a
    word, of the text, a "©"): one test per position instead of one per alternative, and each
    alternative's own leading ``\b`` dropped (the guard holds it), which lets the engine skip an
    alternative on its first letter (about 3x faster, then 3x again; same matches, tested).
    Every alternative must begin with ``\b`` and a letter or digit, ``^`` or ``©``."""
    alts = [a[2:] if a.startswith("\\b") else a for a in _alternatives(p.pattern)]
    return re.compile(r"(?:\b(?=[^\W_])|^|(?=©))(?:" + "|".join(alts) + ")", p.flags)


AS_WRITTEN["BOILERPLATE"] = BOILERPLATE
BOILERPLATE = _word_start(BOILERPLATE)
# Words a site's own lines are made of, which a body sentence may use too ("Netflix raised its
# subscription price", "the bill, sponsored by ..."): they mark a short block that is not a
# sentence, or a longer one together with another phrase.
TOPIC_BOILERPLATE = re.compile(
    r"\bcopyright\b|\bsign (?:up|in)\b|\blog ?in\b|\bsubscribe\b|\bsubscription\b|"
    r"\bnewsletters?\b|\binbox\b|\be-?mail address\b|\badvertisements?\b|\bsponsored\b|"
    r"\bemail alerts\b",
    re.IGNORECASE,
)
AS_WRITTEN["TOPIC_BOILERPLATE"] = TOPIC_BOILERPLATE
TOPIC_BOILERPLATE = _word_start(TOPIC_BOILERPLATE)
WEAK_BOILERPLATE = re.compile(
    r"\bregister\b|\btweet\b|\bfacebook\b|\btwitter\b|\bwhatsapp\b|\blinkedin\b|"
    r"\bpinterest\b|\breddit\b|\bflipboard\b|\bsharing\b|\binstagram\b|\byoutube\b|\bemail\b|\bprint\b|"
    r"\bread (?:more|next|also)\b|\bsee (?:more|all)\b|\bshow more\b|\bcomments?\b|\breply\b|"
    r"\brelated\b|\bmost (?:read|popular|viewed|shared|commented)\b|\btrending\b|"
    r"\brecommended\b|\byou (?:may|might) (?:also )?like\b|\bmore (?:from|on|in|stories|news)\b|"
    r"^(?:tags?|topics|filed under)\b|"
    r"\bkommentare?\b|\bmehr zum thema\b|\bcomentários?\b|\bcomentarios?\b|\bcompartir\b|"
    r"\bleia (?:mais|também)\b|\bcommenti\b|\bleggi anche\b|\blire aussi\b|\bbaca juga\b|"
    r"\bkomentar\b|\bкомментари|\bчитайте также\b",
    re.IGNORECASE,
)
AS_WRITTEN["WEAK_BOILERPLATE"] = WEAK_BOILERPLATE
WEAK_BOILERPLATE = _word_start(WEAK_BOILERPLATE)

# A cookie or consent notice, however long: cookies and what they are for, or consent.
# A site's cookie or consent notice: the site speaking of its cookies ("We use cookies",
# "By clicking Accept all you consent"), not an article about browser cookies.
COOKIE_NOTICE = re.compile(
    r"\b(?:we|this (?:web)?site|our (?:web)?site|our partners)\b[^.]{0,80}\bcookies?\b|"
    r"\bcookies?\b[^.]{0,160}\b(?:by (?:continuing|clicking|using|choosing)|you (?:consent|agree|"
    r"accept))\b|\b(?:accept|allow|manage|reject)(?: all)? cookies\b|"
    r"\bcookie (?:policy|settings|preferences|notice|consent)\b|"
    r"\b(?:utilizziamo|usiamo) (?:i )?cookie|\bwir verwenden cookies\b|"
    r"\bnous utilisons (?:des )?cookies\b|\b(?:usamos|utilizamos) (?:os |las )?cookies\b|"
    r"\bиспользу\w+ (?:файлы )?cookie",
    re.IGNORECASE | re.DOTALL,
)
AS_WRITTEN["COOKIE_NOTICE"] = COOKIE_NOTICE
COOKIE_NOTICE = _word_start(COOKIE_NOTICE)

# Short headings that open a site section after the article: the article ends there.
END_MARKER = re.compile(
    r"^(?:\d+\s+)?(?:comments?|responses?|replies|discussion|kommentare|comentários|comentarios|"
    r"commenti|komentar|комментари\w*)\b|"
    r"^(?:leave|post|add|write) (?:a |your )?(?:reply|comment|response)|"
    r"^(?:related|recommended|suggested|trending|popular)\b(?:\s+\S+){0,3}\s*:?$|"
    r"^(?:latest|top|more|other)\b(?:\s+\S+){0,2}\s+(?:stories|articles|posts|news|videos|"
    r"headlines|reads)\b|"
    r"^(?:most|the most) (?:read|popular|viewed|shared|commented|emailed)|"
    r"^(?:more|other) (?:from|on|in|stories|news|articles|to read|like this)\b|"
    r"^(?:you|we think you) (?:may|might|will|could|'ll) (?:also )?(?:like|enjoy|be interested)|"
    r"^(?:read|see|watch) (?:more|next|also)\b|^what to read next|^don't miss|^next up\b|^up next\b|"
    r"^about the authors?\b|^(?:tags?|topics|filed under)\s*:?$|"
    r"^(?:share|like) this (?:story|article|post)|^mehr zum thema|^leia também|^leggi anche|"
    r"^baca juga|^читайте также",
    re.IGNORECASE,
)


@lru_cache(maxsize=8192)
def _words(text: str) -> int:
    """Word count (cached: the features and the repeated-block test count the same texts)."""
    return len(WORD.findall(text))


def _link_density(b: Block) -> float:
    """Share of the block's characters that sit under a hyperlink."""
    if not b.text:
        return 0.0
    links = b.links or [lk for ln in b.lines for lk in ln.links]
    if b.links:
        covered = sum(max(0, lk.end - lk.start) for lk in links)
        return min(1.0, covered / len(b.text))
    total = sum(len(ln.text) for ln in b.lines) or len(b.text)
    covered = sum(max(0, lk.end - lk.start) for lk in links)
    return min(1.0, covered / total)


FONT_STYLE = re.compile(
    r"[-,](?:bold|italic|oblique|regular|medium|semibold|light).*$", re.IGNORECASE
)
_FAMILIES: dict[str, str] = {}  # font name -> family (FONT_STYLE removed); few names per run


def _font_key(b: Block) -> tuple[str, float]:
    """The block's dominant font family and size (size rounded to half points)."""
    c: dict[tuple[str, float], int] = {}
    for ln in b.lines:
        # a one-style line is its own run: read it without making the Span runs() would
        runs = ln.spans or ((ln,) if ln.font is not None else ())
        for s in runs:
            if s.text.strip():
                fam = _FAMILIES.get(s.font)
                if fam is None:
                    fam = _FAMILIES[s.font] = FONT_STYLE.sub("", s.font)
                key = (fam, round((s.size or ln.size or b.size) * 2) / 2)
                c[key] = c.get(key, 0) + len(s.text)
    if c:
        return max(c, key=c.__getitem__)  # the first of the most common, as Counter's
    return ("", round(b.size * 2) / 2)


# What a browser prints in its header and footer, when the furniture stage left a copy in the
# text ("11/22/26, 5:28 PM Spiced Honey Pear Jam Recipe | ...", "https://example.com/a 1/15").
PRINT_LEFTOVER = re.compile(
    r"^\d{1,2}/\d{1,2}/\d{2,4},?\s+\d{1,2}:\d{2}\s*(?:[AaPp]\.?[Mm]\.?)?\s+\S|"
    r"^(?:https?|file)://\S+\s+\d{1,4}\s*/\s*\d{1,4}$"
)


# A picture's caption or credit line, which a print shows where the (missing) image was:
# "Protesters have worn masks (Image: GETTY)", "Photo: Damian Dovarganes, AP", "Foto von X".
PHOTO_CREDIT = re.compile(
    r"\((?:image|photo|picture|credit|source|foto|bild)s?:[^)]*\)\s*$|"
    # "Photo: Jane Doe/AP" is a credit; "Photo: Tax cuts have lifted earnings." is a caption
    r"^(?:photo|image|picture|credit|foto|bild)s?\s*(?::|von\b|by\b)\s*(?:\S+\s*){0,6}$|"
    r"(?:getty images|reuters|afp|ap photo|shutterstock|istock(?:photo)?)[^.]{0,40}$|"
    r"\b(?:photo|image|picture)\s+(?:by|credit|courtesy)\b|^image (?:copyright|caption)\b|"
    r"\s/\s*(?:ap|afp|epa|reuters|getty)\b[^.]{0,30}$|"
    # a gallery's slide counter, a picture's bare address, a blog engine's shortcode
    r"^(?:image|photo|slide|picture)\s+\d+\s+(?:of|/)\s*\d+\b|"
    r"^\S+\.(?:jpe?g|png|gif|webp)(?:\?\S*)?$|/wp-content/uploads/\S+$|"
    r"^\[/?(?:button|caption|embed|gallery|video|audio)\b",
    re.IGNORECASE,
)


GALLERY = re.compile(r"^(?:image|photo|slide|picture)\s+\d+\s+(?:of|/)\s*\d+\b", re.IGNORECASE)

# The signature line of an embedded post: "— Cooper Lund (@cooperlund) November 18, 2019".
EMBED_SIGNATURE = re.compile(r"^[—–-]\s*[^\n]{1,80}\(@\w{1,30}\)\s*[^\n]{0,40}\d{4}$")


def _lower_case(p: re.Pattern) -> re.Pattern:
    """The pattern without IGNORECASE, for lower-cased text: the same matches (its literals are
    lower case) at about 1.3x the speed, which counts since every block is tested."""
    assert not any(c.isupper() for c in re.sub(r"\\[A-Za-z]", "", p.pattern)), p.pattern
    return re.compile(p.pattern, p.flags & ~re.IGNORECASE)


_COOKIE_LC, _PHOTO_LC, _GALLERY_LC = map(_lower_case, (COOKIE_NOTICE, PHOTO_CREDIT, GALLERY))
# Every alternative of PHOTO_CREDIT holds one of these (lower case): most blocks hold none, and
# a few substring tests cost far less than the search (tested on reference paragraphs).
PHOTO_TRIGGERS = (
    *("image", "photo", "picture", "credit", "source", "foto", "bild", "slide"),
    *("getty", "reuters", "afp", "shutterstock", "istock"),
    *("/", ".jp", ".png", ".gif", ".webp", "["),
)


def _photo_credit(low: str) -> bool:
    return any(t in low for t in PHOTO_TRIGGERS) and bool(_PHOTO_LC.search(low))


_BOILER_LC, _TOPIC_LC, _WEAK_LC = map(
    _lower_case, (BOILERPLATE, TOPIC_BOILERPLATE, WEAK_BOILERPLATE)
)
_PICTURE_URL = re.compile(r"^(?:https?://|www\.)\S*(?:\.(?:jpe?g|png|gif|webp)\b|/uploads?/)")


# A site's one-word labels, whole blocks: an advertisement's tag, a share counter's caption,
# a "More" button; also letter-spaced ("ADVERTISE M ENT"), hence compared without spaces.
CHROME_WORDS = frozenset(
    "advertisement advertisements advertising advert ad anzeige werbung publicidad publicidade "
    "pubblicità реклама sponsored shares share more".split()
)
_SPACE_COLON = re.compile(r"[\s:]+")


def _is_boilerplate(b: Block, words: int) -> bool:
    """``boilerplate-phrase``: a short block that speaks of cookies, sharing, subscribing,
    comments, copyright... ("Share this article", "Sign up for our newsletter", "© 2020 X").
    A cookie or consent notice is boilerplate at any length."""
    return _boilerplate_rule(b, words) is not None


def _boilerplate_rule(b: Block, words: int) -> str | None:
    """Which boilerplate rule a block meets (None: none). "weak" is a short line of the site's
    weak words only ("Comments", "Print", "Related"), which a section heading may also be."""
    text = b.text.strip()
    low = text.lower()
    if words <= 6 and len(text) <= 40 and _SPACE_COLON.sub("", low) in CHROME_WORDS:
        return "chrome-word"
    if words <= 150 and "cookie" in low and _COOKIE_LC.search(low):  # each alternative has it
        return "cookie"
    if PRINT_LEFTOVER.match(text):
        return "print-leftover"
    if (words <= 40 and _photo_credit(low)) or (words <= 120 and _GALLERY_LC.match(low)):
        return "photo-credit"
    # the address of a picture where the image was (and what a theme printed after it)
    if _PICTURE_URL.match(text):
        return "picture"
    if words > 40:
        return None
    hits = set(m.group(0) for m in _BOILER_LC.finditer(low))
    topics = set(m.group(0) for m in _TOPIC_LC.finditer(low))
    sentence = bool(SENTENCE_END.search(text)) and words > 6
    if words > 18:
        # a longer block needs two different phrases ("Sign up for our newsletter ... inbox"):
        # a body sentence may say "continued to sign up subscribers"
        return "phrase" if len(hits | topics) >= 2 and hits else None
    if hits or (topics and (not sentence or len(topics) >= 2)):
        return "phrase"
    if words > 8 or SENTENCE_END.search(text) or not _WEAK_LC.search(low):
        return None
    # the line is about the site, not a subheading that names Facebook: little else is left
    rest = WORD.findall(_WEAK_LC.sub(" ", low))
    return "weak" if len([w for w in rest if not w.isdigit()]) <= 3 else None


def _section_heading(b: Block, f: _Feat, nxt: _Feat | None, font) -> bool:
    """``section-heading``: a heading that only the site's weak words made boilerplate ("Fine
    print", "Comments from readers") opens a section of the article when running text in the
    body's type follows it; a site's "Related" or "Comments" heads links or short lines."""
    return (
        f.rule == "weak"
        and b.type == "heading"
        and nxt is not None
        and nxt.good
        and _same_font(nxt.font, font)
    )


class _Feat:
    __slots__ = (
        "words",
        "links",
        "font",
        "good",
        "bad",
        "boiler",
        "rule",
        "sentence",
        "x0",
        "x1",
        "side",
    )

    def __init__(self, b: Block):
        self.words = _words(b.text)
        self.links = _link_density(b)
        self.font = _font_key(b)
        self.sentence = bool(SENTENCE_END.search(b.text.strip()))
        self.x0, self.x1 = (b.bbox[0], b.bbox[2]) if b.bbox else (0.0, 0.0)
        self.bad = False
        self.boiler = False
        self.side = False
        self.rule: str | None = None  # the boilerplate rule the block meets (select_article)
        self.good = False


def _body_style(blocks: list[Block], feats: list[_Feat]):
    """``body-style``: font and column of the long, sentence-like, link-free blocks."""
    fonts: Counter = Counter()
    for b, f in zip(blocks, feats, strict=True):
        if (
            f.words >= 20
            and f.links < 0.3
            and not f.bad
            and b.type in ("paragraph", "quote", "dek", "list_item")
        ):
            fonts[f.font] += f.words
    if not fonts:
        return None, None
    font = fonts.most_common(1)[0][0]
    cols: Counter = Counter()
    for b, f in zip(blocks, feats, strict=True):
        if f.font == font and f.words >= 20 and f.links < 0.3 and not f.bad and b.bbox:
            cols[(round(f.x0 / 6), round(f.x1 / 6))] += f.words
    if not cols:
        return font, None
    (c0, c1), _ = cols.most_common(1)[0]
    # the column's right edge: where most of the body's words end (the 90th percentile of the
    # right edges of body blocks starting at its left edge; one wide footer line must not widen it)
    x0 = c0 * 6.0
    ends = sorted(
        (f.x1, f.words)
        for f in feats
        if f.font == font and abs(f.x0 - x0) <= 8 and f.words >= 20 and not f.bad
    )
    total = sum(w for _, w in ends)
    acc, x1 = 0, c1 * 6.0
    for xe, w in ends:
        acc += w
        if acc >= 0.9 * total:
            x1 = xe
            break
    return font, (x0, max(x1, c1 * 6.0))


def _same_font(a: tuple[str, float], b: tuple[str, float]) -> bool:
    return a[0] == b[0] and abs(a[1] - b[1]) <= 0.6


def _off_column(f: _Feat, col: tuple[float, float] | None) -> bool:
    """``off-column``: the block sits wholly beside the body column (a sidebar), and is no
    second column of the body: much narrower, or in another font (see ``_mark_sides``)."""
    return f.side


def _body_columns(feats: list[_Feat], font, col: tuple[float, float]) -> list[tuple[float, float]]:
    """``body-columns``: a page set in two or three columns has its body in each of them:
    x-ranges as wide as the body column (within 15%) that carry at least two running-text blocks
    in the body font. Headings and captions inside those columns are the article's."""
    x0, x1 = col
    width = max(1.0, x1 - x0)
    found: Counter = Counter()
    for f in feats:
        if (
            f.words >= 20
            and not f.bad
            and _same_font(f.font, font)
            and abs((f.x1 - f.x0) - width) <= 0.15 * width
        ):
            found[(round(f.x0 / 8), round(f.x1 / 8))] += 1
    cols = [col]
    for (a, b), n in found.items():
        if n >= 2 and not any(abs(a * 8 - c0) <= 8 and abs(b * 8 - c1) <= 8 for c0, c1 in cols):
            cols.append((a * 8.0, b * 8.0))
    return cols


def _mark_sides(feats: list[_Feat], font, col: tuple[float, float] | None) -> None:
    if not col:
        return
    x0, x1 = col
    width = max(1.0, x1 - x0)
    cols = _body_columns(feats, font, col)
    for f in feats:
        if not (f.x0 or f.x1):
            continue
        if any(f.x0 >= c0 - 8 and f.x1 <= c1 + 8 for c0, c1 in cols):
            continue  # inside a column of the body
        beside = f.x0 >= x1 - 4 or f.x1 <= x0 + 4
        f.side = beside and ((f.x1 - f.x0) < 0.6 * width or not _same_font(f.font, font))


def _repeated(blocks: list[Block]) -> set[int]:
    """``repeated``: short blocks printed at the same place on several pages, the same text (a
    sticky menu, a "Subscribe" bar). Short lines an article repeats ("Eat every 2-3 hours") sit
    at other places and stay."""
    seen: dict[tuple, set[int]] = {}
    keys: dict[int, tuple] = {}
    for i, b in enumerate(blocks):
        if b.bbox and _words(b.text) <= 12:
            key = (
                _NON_WORDS.sub(" ", b.text.lower()).strip(),
                round(b.bbox[0] / 3),
                round(b.bbox[1] / 3),
            )
            keys[i] = key
            seen.setdefault(key, set()).add(b.page)
    return {i for i, key in keys.items() if key[0] and len(seen[key]) >= 2}


_NON_WORDS = re.compile(r"\W+")


def _max_window(values: list[float]) -> tuple[int, int]:
    """Kadane: the window [start, end] with the largest sum."""
    best, best_s, best_e = float("-inf"), 0, -1
    cur, cur_s = 0.0, 0
    for i, v in enumerate(values):
        if cur <= 0:
            cur, cur_s = v, i
        else:
            cur += v
        if cur > best:
            best, best_s, best_e = cur, cur_s, i
    return best_s, best_e


_COMMENT_WORDS = (
    r"(?:comments?|responses?|replies|discussion|conversation|kommentare?|comentários?|"
    r"comentarios?|commenti|commentaires?|komentar|reacties|комментари\w*)"
)
COMMENTS = re.compile(
    r"^(?:[\w’'-]+\s+){0,3}" + _COMMENT_WORDS + r"\b(?:\s*[(\[]?\d*[)\]]?)?\s*:?$|"
    r"^\d+\s+" + _COMMENT_WORDS + r"\b|^join the (?:discussion|conversation)|"
    r"^(?:leave|post|add|write|submit) (?:a |your )?(?:reply|comment|response)",
    re.IGNORECASE,
)


def _body_resumes(feats, values, j: int, end: int) -> bool:
    """After a box heading, running text comes back within a few blocks, as a run of at least 50
    words (the article goes on), not as teaser blurbs between link lines."""
    k = j
    while k <= min(end, j + 8) and values[k] <= 0:
        k += 1
    run = 0.0
    while k <= end and not feats[k].bad and values[k] > -4:
        run += max(0.0, values[k])
        k += 1
    return run >= 50


def _end_marker(blocks, feats, values, col, start: int, end: int) -> int:
    """``end-marker``: the first section heading after the body has begun ends the article.
    Comments end it always; "Related" / "More from" / "Most read" end it unless more body text
    follows than came before (a related-links box inside the article is dropped, not an end)."""
    body_words = [max(0.0, v) for v in values]
    seen_good, seen_words = 0, 0.0
    for i in range(start, end + 1):
        b, f = blocks[i], feats[i]
        if body_words[i] and (f.good or f.words >= 12):
            seen_good += 1
            seen_words += body_words[i]
        if (
            seen_good < 2
            or seen_words < 40
            or f.words > 8
            or f.sentence
            or _off_column(f, col)
            or not (END_MARKER.search(b.text.strip()) or COMMENTS.search(b.text.strip()))
        ):
            continue
        if COMMENTS.search(b.text.strip()):
            return i - 1
        before = sum(body_words[start:i])
        after = sum(body_words[i + 1 : end + 1])
        if after < before and not _body_resumes(feats, values, i + 1, end):
            return i - 1
        f.bad = True  # the heading of a box inside the article
    return end


# "Meg James is a corporate media reporter for ...", "Molly Wood (@mollywood) is an Ideas
# contributor at WIRED": the note about the author that closes many articles.
AUTHOR_BIO = re.compile(
    r"^(?:[A-Z][\w.'’-]+\s+){1,3}[A-Z][\w.'’-]+(?:\s*\(@?[\w.]+\))?,?\s+"
    r"(?:is|was|has been|writes|covers|reports)\b(?:\W+\w+){0,25}?\W+(?:a |an |the )?[\w -]{0,40}?"
    r"\b(?:reporter|writer|editor|correspondent|journalist|contributor|columnist|author|host|"
    r"producer|freelancer?|blogger|analyst|staff|editor-at-large|critic)s?\b"
)


def _author_bio(doc: Document, feats, values, start: int, end: int) -> int:
    """``author-bio``: the article ends before a closing note about its author: a block in its
    last few that introduces a person by role ("X is a reporter for ..."), or the author's name
    standing alone over a paragraph that names them again (an author box)."""
    blocks = doc.blocks
    names = [n for n in doc.metadata.authors if n]
    body_before = 0.0
    positives = [i for i in range(start, end + 1) if values[i] > 0]
    tail = set(positives[-3:])
    for i in range(start, end + 1):
        b = blocks[i]
        if body_before >= 100 and i in tail and feats[i].words <= 120:
            if AUTHOR_BIO.match(b.text.strip()):
                return i - 1
        t = b.text.strip()
        if (
            body_before >= 100
            and 1 < feats[i].words <= 4
            and i + 1 <= end
            and t in blocks[i + 1].text
            and re.fullmatch(r"(?:[^\W\d_][\w.'’-]*\s+){1,3}[^\W\d_][\w.'’-]*", t)
            and all(w[0].isupper() for w in t.split())
            and (
                t in names
                or any(
                    t in blocks[j].text and blocks[j].type in ("byline", "date")
                    for j in range(start, min(start + 6, i))
                )
            )
        ):
            return i - 1
        body_before += max(0.0, values[i])
    return end


def _title_anchor(doc: Document, feats, values, font, col, start: int, end: int) -> int | None:
    """``title-anchor``: the article starts at its title. The title is the block matching the
    printed page title that comes before the body (a recipe card further down may repeat the
    title: it is not where the article starts); failing that, the largest heading just above the
    body. The choice is written back as the title block and the metadata title."""
    blocks = doc.blocks
    total = sum(v for v in values[start : end + 1] if v > 0) or 1.0
    chosen = None
    body = font[1] if font else 0.0
    for i, _score in title_candidates(doc):
        if i > end or blocks[i].size < 1.3 * body:
            continue  # a title is set larger than the body
        pre = sum(v for v in values[start:i] if v > 0)
        if pre <= 0.2 * total:
            chosen = i
            break
    if chosen is None and body > 0:
        # the largest heading above the body, looking back past share buttons and pictures
        # but not past running text (extracted text has no sizes to tell one by)
        heads = []
        i = min(end, start + 3)
        lo = max(0, start - 30)
        while i >= lo:
            f = feats[i]
            if i < start and f.good and not f.bad:
                break
            if (
                blocks[i].size >= 1.25 * body
                and 0 < f.words <= 30
                and not _is_boilerplate(blocks[i], f.words)
                and not _off_column(f, col)
            ):
                heads.append(i)
            i -= 1
        if heads:
            chosen = max(heads, key=lambda i: (blocks[i].size, i))
    if chosen is not None and chosen != doc.options.get("title_index"):
        set_title(doc, chosen)
        refresh_near_title(doc, chosen)
    elif chosen is None and doc.metadata.web_print:
        # no heading confirms the page title: the page title it is, not a subheading of the body
        pt = page_title(doc)
        if pt:
            for b in blocks:
                if b.type == "title":
                    b.type, b.level = "heading", b.level if b.level > 1 else 2
            doc.metadata.title = strip_site(pt)
            doc.options.pop("title_index", None)
    return chosen


def _continues(prev: Block | None, b: Block, f: _Feat, font, col) -> bool:
    """``continuation``: a line of the body that is all link ("nearly five years ago.") goes on
    the sentence the kept block before it left open; it is the article, not a link list."""
    if prev is None or prev.type not in ("paragraph", "quote", "list_item"):
        return False
    t = prev.text.rstrip()
    head = b.text.lstrip()[:1]
    return (
        bool(t)
        and not SENTENCE_END.search(t)
        and (head.islower() or t[-1] in ",;:-–—(")
        and _same_font(_font_key(prev), font)
        and _same_font(f.font, font)
        and not _off_column(f, col)
        and not _is_boilerplate(b, f.words)
    )


def _near_duplicates(blocks: list[Block], feats, start: int, end: int) -> set[int]:
    """``near-duplicate``: a caption printed twice (a picture's alt text and its caption, a
    gallery's slide and its thumbnail, a pull quote and its paragraph) within a few blocks:
    the shorter copy goes."""
    out: set[int] = set()
    cache: dict[int, str] = {}  # normalised texts of the last few blocks only (not a copy of all)

    def norm(k: int) -> str:
        t = cache.get(k)
        if t is None:
            t = cache[k] = _NON_WORDS.sub(" ", blocks[k].text.lower()).strip()
        return t

    for i in range(start, end + 1):
        cache.pop(i - 7, None)
        if feats[i].words < 6:
            continue
        for j in range(max(start, i - 6), i):
            if j in out or feats[j].words < 6:
                continue
            a, b = norm(j), norm(i)
            if (
                a == b
                or (len(a) >= 40 and a in b)
                or (len(b) >= 40 and b in a)
                or (len(a) >= 80 and len(b) >= 80 and a[:80] == b[:80])
            ):
                out.add(i if len(b) <= len(a) else j)  # the shorter copy goes
                break
    return out


def select_article(doc: Document) -> Document:
    mode = doc.options.get("article")
    if mode is False or (mode is None and not is_web_page(doc)):
        return doc
    blocks = doc.blocks
    if len(blocks) < 3:
        return doc
    feats = [_Feat(b) for b in blocks]
    repeated = _repeated(blocks)
    for i, (b, f) in enumerate(zip(blocks, feats, strict=True)):
        f.rule = _boilerplate_rule(b, f.words)
        f.boiler = b.type != "callout" and (f.rule is not None or i in repeated)
        f.bad = f.boiler or (b.type != "callout" and f.links >= 0.5)
    font, col = _body_style(blocks, feats)
    if font is None:
        return doc  # no running text at all: nothing to tell the article from the site
    _mark_sides(feats, font, col)

    values: list[float] = []
    for b, f in zip(blocks, feats, strict=True):
        body_font = _same_font(f.font, font)
        if b.type == "callout" and not _off_column(f, col):
            # "Related article: ..." inside the body is the article's own aside: kept, neutral
            values.append(-1.0)
        elif EMBED_SIGNATURE.match(b.text.strip()) and not _off_column(f, col):
            # ``embed-signature``: "— Rep. Ilhan Omar (@Ilhan) November 19, 2019" closes a
            # quoted post: part of the article, however many links
            f.bad = f.boiler = False
            values.append(float(f.words))
        elif f.bad or (_off_column(f, col) and f.words < 60):
            f.bad = True
            values.append(-(f.words + 2.0))
        elif f.words >= 8 and f.links < 0.35 and (b.size >= 4 or not b.size):
            # running text (size 0: extracted text, which has no sizes); lines cut out of a
            # paragraph by a sidebar still count, a little less
            f.good = f.words >= 15 and (f.sentence or f.words >= 30)
            weight = (1.0 if body_font else 0.35) * (1.0 if f.good else 0.7)
            values.append(f.words * weight)
        else:
            values.append(-(1.0 + 0.3 * f.words))
    start, end = _max_window(values)
    if end < start:
        return doc

    # title-anchor
    ti = _title_anchor(doc, feats, values, font, col, start, end)
    if ti is not None:
        start = ti

    # body-end: the article ends with the last block in the body's font; smaller print after it
    # ("About Example Corp", a disclaimer box in another type) is the site's
    while end > start and (values[end] <= 0 or not _same_font(feats[end].font, font)):
        if blocks[end].type in ("table", "list_item", "disclaimer") and not feats[end].bad:
            break
        end -= 1

    # end-marker
    end = _end_marker(blocks, feats, values, col, start, end)
    end = _author_bio(doc, feats, values, start, end)

    keep: list[Block] = []
    removed: list[Removed] = []
    prev: Block | None = None
    dup = _near_duplicates(blocks, feats, start, end)
    for i in range(start, end):
        f = feats[i]
        if f.boiler and i not in repeated and _section_heading(blocks[i], f, feats[i + 1], font):
            f.bad = f.boiler = False
    for i, b in enumerate(blocks):
        f = feats[i]
        if i in dup:
            f.bad = f.boiler = True
        inside = start <= i <= end
        drop = not inside
        if inside and i != start and b.type not in ("title", "byline", "date", "table"):
            drop = f.bad and not (
                (
                    b.type == "list_item"
                    and f.links < 0.9
                    and not f.boiler
                    and not _off_column(f, col)
                )
                or _continues(prev, b, f, font, col)
            )
        if drop:
            removed.append(Removed(text=b.text, reason="boilerplate", page=b.page, bbox=b.bbox))
        else:
            keep.append(b)
            prev = b
    if not any(feats[i].good for i in range(start, end + 1)):
        return doc
    doc.blocks = keep
    doc.removed.extend(removed)
    doc.options.pop("title_index", None)
    for i, b in enumerate(keep):
        if b.type == "title":
            doc.options["title_index"] = i
            break
    return doc
