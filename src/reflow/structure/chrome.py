"""Site chrome: what a web page prints around its article, recognised by its words.

The vocabulary of article mode (``structure/article.py``): phrases of sharing, subscribing,
newsletters, cookies and consent, comments, copyright; photo credits; the headings that open a
site section after the article ("Related stories", "Most read", "3 Comments"); closing notes
about the author. ``boilerplate_rule`` says which of these a block meets.

Every pattern is compiled on first use. The long alternations are tried only where one of their
alternatives can begin (``word_start``), about 3x faster, and matched case-sensitively on
lower-cased text (``lower_case``); ``AS_WRITTEN`` keeps them as written, and the tests hold the
fast ones to those.
"""

from __future__ import annotations

import re

from reflow.lexicon import PRINT_LEFTOVER, SENTENCE_END, Lazy
from reflow.model import Block
from reflow.rules import rule
from reflow.settings import ArticleSettings

WORD = Lazy(r"\w+")

# Phrases of site chrome. Strong ones mark any short block ("Sign up for our newsletter.",
# "© 2020 Example Media"); weak ones only a short line that is not a sentence ("Comments",
# "Related", "Facebook"), since a body sentence may say "declined to comment".
_BOILERPLATE = Lazy(
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
# Words a site's own lines are made of, which a body sentence may use too ("Netflix raised its
# subscription price", "the bill, sponsored by ..."): they mark a short block that is not a
# sentence, or a longer one together with another phrase.
_TOPIC_BOILERPLATE = Lazy(
    r"\bcopyright\b|\bsign (?:up|in)\b|\blog ?in\b|\bsubscribe\b|\bsubscription\b|"
    r"\bnewsletters?\b|\binbox\b|\be-?mail address\b|\badvertisements?\b|\bsponsored\b|"
    r"\bemail alerts\b",
    re.IGNORECASE,
)
_WEAK_BOILERPLATE = Lazy(
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
# A site's cookie or consent notice, however long: the site speaking of its cookies ("We use
# cookies", "By clicking Accept all you consent"), not an article about browser cookies.
_COOKIE_NOTICE = Lazy(
    r"\b(?:we|this (?:web)?site|our (?:web)?site|our partners)\b[^.]{0,80}\bcookies?\b|"
    r"\bcookies?\b[^.]{0,160}\b(?:by (?:continuing|clicking|using|choosing)|you (?:consent|agree|"
    r"accept))\b|\b(?:accept|allow|manage|reject)(?: all)? cookies\b|"
    r"\bcookie (?:policy|settings|preferences|notice|consent)\b|"
    r"\b(?:utilizziamo|usiamo) (?:i )?cookie|\bwir verwenden cookies\b|"
    r"\bnous utilisons (?:des )?cookies\b|\b(?:usamos|utilizamos) (?:os |las )?cookies\b|"
    r"\bиспользу\w+ (?:файлы )?cookie",
    re.IGNORECASE | re.DOTALL,
)

# The long alternations as written, before word_start (the tests hold the fast ones to them).
AS_WRITTEN: dict[str, Lazy] = {
    "BOILERPLATE": _BOILERPLATE,
    "TOPIC_BOILERPLATE": _TOPIC_BOILERPLATE,
    "WEAK_BOILERPLATE": _WEAK_BOILERPLATE,
    "COOKIE_NOTICE": _COOKIE_NOTICE,
}


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


def word_start(p: Lazy) -> tuple[str, int]:
    r"""The same pattern, tried only where one of its alternatives can begin (the start of a
    word, of the text, a "©"): one test per position instead of one per alternative, and each
    alternative's own leading ``\b`` dropped (the guard holds it), which lets the engine skip an
    alternative on its first letter (about 3x faster, then 3x again; same matches, tested).
    Every alternative must begin with ``\b`` and a letter or digit, ``^`` or ``©``. Gives the
    new pattern's text and flags (``Lazy`` compiles it when used; ``p`` is not compiled)."""
    pattern, flags = p.source()
    alts = [a[2:] if a.startswith("\\b") else a for a in _alternatives(pattern)]
    return r"(?:\b(?=[^\W_])|^|(?=©))(?:" + "|".join(alts) + ")", flags


def lower_case(p: Lazy) -> tuple[str, int]:
    """The pattern without IGNORECASE, for lower-cased text: the same matches (its literals are
    lower case) at about 1.3x the speed, which counts since every block is tested. Gives the
    pattern's text and flags, as ``word_start``."""
    pattern, flags = p.source()
    assert not any(c.isupper() for c in re.sub(r"\\[A-Za-z]", "", pattern)), pattern
    return pattern, flags & ~re.IGNORECASE


BOILERPLATE = Lazy(lambda: word_start(_BOILERPLATE))
TOPIC_BOILERPLATE = Lazy(lambda: word_start(_TOPIC_BOILERPLATE))
WEAK_BOILERPLATE = Lazy(lambda: word_start(_WEAK_BOILERPLATE))
COOKIE_NOTICE = Lazy(lambda: word_start(_COOKIE_NOTICE))

# Short headings that open a site section after the article: the article ends there.
END_MARKER = Lazy(
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


# A picture's caption or credit line, which a print shows where the (missing) image was:
# "Protesters have worn masks (Image: GETTY)", "Photo: Damian Dovarganes, AP", "Foto von X".
PHOTO_CREDIT = Lazy(
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


GALLERY = Lazy(r"^(?:image|photo|slide|picture)\s+\d+\s+(?:of|/)\s*\d+\b", re.IGNORECASE)

# The signature line of an embedded post: "— Cooper Lund (@cooperlund) November 18, 2019".
EMBED_SIGNATURE = Lazy(r"^[—–-]\s*[^\n]{1,80}\(@\w{1,30}\)\s*[^\n]{0,40}\d{4}$")

_COOKIE_LC = Lazy(lambda: lower_case(COOKIE_NOTICE))
_PHOTO_LC = Lazy(lambda: lower_case(PHOTO_CREDIT))
_GALLERY_LC = Lazy(lambda: lower_case(GALLERY))
_BOILER_LC = Lazy(lambda: lower_case(BOILERPLATE))
_TOPIC_LC = Lazy(lambda: lower_case(TOPIC_BOILERPLATE))
_WEAK_LC = Lazy(lambda: lower_case(WEAK_BOILERPLATE))

# Every alternative of PHOTO_CREDIT holds one of these (lower case): most blocks hold none, and
# a few substring tests cost far less than the search (tested on reference paragraphs).
PHOTO_TRIGGERS = (
    *("image", "photo", "picture", "credit", "source", "foto", "bild", "slide"),
    *("getty", "reuters", "afp", "shutterstock", "istock"),
    *("/", ".jp", ".png", ".gif", ".webp", "["),
)


def photo_credit(low: str) -> bool:
    return any(t in low for t in PHOTO_TRIGGERS) and bool(_PHOTO_LC.search(low))


_PICTURE_URL = Lazy(r"^(?:https?://|www\.)\S*(?:\.(?:jpe?g|png|gif|webp)\b|/uploads?/)")


# A site's one-word labels, whole blocks: an advertisement's tag, a share counter's caption,
# a "More" button; also letter-spaced ("ADVERTISE M ENT"), hence compared without spaces.
CHROME_WORDS = frozenset(
    "advertisement advertisements advertising advert ad anzeige werbung publicidad publicidade "
    "pubblicità реклама sponsored shares share more".split()
)
_SPACE_COLON = Lazy(r"[\s:]+")


@rule("boilerplate-phrase", stage="article")
def boilerplate_rule(b: Block, words: int, s: ArticleSettings) -> str | None:
    """Which kind of site chrome a block's words are (None: none). Short blocks that speak of
    cookies, sharing, subscribing, comments, copyright ("Share this article", "Sign up for our
    newsletter", "© 2020 X") are ``phrase``; a cookie or consent notice is ``cookie`` at any
    length; a site's one-word label ("ADVERTISEMENT", "Shares") ``chrome-word``; a copy of the
    print header ``print-leftover``; a photo credit or a gallery counter ``photo-credit``; a
    picture's address ``picture``. ``weak`` is a short line of the site's weak words only
    ("Comments", "Print", "Related"), which a section heading may also be."""
    text = b.text.strip()
    low = text.lower()
    if (
        words <= s.chrome_word_max_words
        and len(text) <= s.chrome_word_max_chars
        and _SPACE_COLON.sub("", low) in CHROME_WORDS
    ):
        return "chrome-word"
    if words <= s.cookie_max_words and "cookie" in low and _COOKIE_LC.search(low):
        return "cookie"
    if PRINT_LEFTOVER.match(text):
        return "print-leftover"
    if (words <= s.photo_credit_max_words and photo_credit(low)) or (
        words <= s.gallery_max_words and _GALLERY_LC.match(low)
    ):
        return "photo-credit"
    # the address of a picture where the image was (and what a theme printed after it)
    if _PICTURE_URL.match(text):
        return "picture"
    if words > s.phrase_max_words:
        return None
    hits = set(m.group(0) for m in _BOILER_LC.finditer(low))
    topics = set(m.group(0) for m in _TOPIC_LC.finditer(low))
    sentence = bool(SENTENCE_END.search(text)) and words > s.sentence_min_words
    if words > s.single_phrase_max_words:
        # a longer block needs two different phrases ("Sign up for our newsletter ... inbox"):
        # a body sentence may say "continued to sign up subscribers"
        return "phrase" if len(hits | topics) >= 2 and hits else None
    if hits or (topics and (not sentence or len(topics) >= 2)):
        return "phrase"
    if words > s.weak_max_words or SENTENCE_END.search(text) or not _WEAK_LC.search(low):
        return None
    # the line is about the site, not a subheading that names Facebook: little else is left
    rest = WORD.findall(_WEAK_LC.sub(" ", low))
    return "weak" if len([w for w in rest if not w.isdigit()]) <= s.weak_max_other_words else None


_COMMENT_WORDS = (
    r"(?:comments?|responses?|replies|discussion|conversation|kommentare?|comentários?|"
    r"comentarios?|commenti|commentaires?|komentar|reacties|комментари\w*)"
)
COMMENTS = Lazy(
    r"^(?:[\w’'-]+\s+){0,3}" + _COMMENT_WORDS + r"\b(?:\s*[(\[]?\d*[)\]]?)?\s*:?$|"
    r"^\d+\s+" + _COMMENT_WORDS + r"\b|^join the (?:discussion|conversation)|"
    r"^(?:leave|post|add|write|submit) (?:a |your )?(?:reply|comment|response)",
    re.IGNORECASE,
)


# "Meg James is a corporate media reporter for ...", "Molly Wood (@mollywood) is an Ideas
# contributor at WIRED": the note about the author that closes many articles.
AUTHOR_BIO = Lazy(
    r"^(?:[A-Z][\w.'’-]+\s+){1,3}[A-Z][\w.'’-]+(?:\s*\(@?[\w.]+\))?,?\s+"
    r"(?:is|was|has been|writes|covers|reports)\b(?:\W+\w+){0,25}?\W+(?:a |an |the )?[\w -]{0,40}?"
    r"\b(?:reporter|writer|editor|correspondent|journalist|contributor|columnist|author|host|"
    r"producer|freelancer?|blogger|analyst|staff|editor-at-large|critic)s?\b"
)
