"""Line-level boilerplate removal: navigation, bylines, timestamps, repeats, captions, teasers, datelines."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from newsfuse.clean import metadata as meta
from newsfuse.models import Removal
from newsfuse.text.calendar import MONTH_ALTERNATION, WEEKDAY_ALTERNATION, WEEKDAY_SHORT_ALTERNATION
from newsfuse.text.social import post_words

# Navigation and widget residue that scrapers keep; matched against a whole line, case-insensitively.
NAVIGATION = {
    "all news", "news", "home", "menu", "search", "share", "share this", "share this article",
    "share on facebook", "share on twitter", "tweet", "email", "print", "read more", "read also",
    "see also", "related", "related news", "related articles", "related stories", "advertisement",
    "sponsored", "subscribe", "sign up", "sign in", "log in", "skip to content", "skip to main content",
    "most read", "most popular", "latest", "latest news", "top stories", "trending", "follow us",
    "comments", "show comments", "back to top", "next article", "previous article", "more on this story",
    "listen to this article", "watch", "video", "photo", "photos", "gallery", "copy link", "facebook",
    "twitter", "whatsapp", "linkedin", "telegram", "keep reading", "continue reading", "loading",
    # Added from the GVA/ECB+ audit (bench/clean_audit.py): share-bar and player labels left as lines.
    "close", "pinterest", "google", "google plus", "reddit", "tumblr", "instagram", "youtube", "pocket",
    "more", "also", "enlarge", "a a", "share this story", "print this article", "email this", "related links",
    "more local news", "trending stories", "previous story", "next story", "hide transcript show transcript",
    "copy link copy", "on twitter", "update", "original story", "original", "incident update",
    "for immediate release", "scroll down for video", "comment", "post a comment", "leave a comment",
    "play facebook", "vote", "view results", "text size", "related content", "what others are clicking on",
    "you may also be interested in these stories", "top trending", "total access", "from wikipedia the free encyclopedia",
}

MONTHS = MONTH_ALTERNATION
WEEKDAYS = f"{WEEKDAY_ALTERNATION}|{WEEKDAY_SHORT_ALTERNATION}"

# A line made only of date/time words once labels like "Last modified:" are taken off.
TIMESTAMP_LABEL = meta.TIMESTAMP_LABEL
# Detokenised data sets space out times and dates ("2: 35 pm", "11 / 12 / 2007"): joined before matching.
SPACED_TIME = re.compile(r"(?<=\d)\s*([:/])\s*(?=\d)")
# A month or day name may carry its abbreviating dot ("Sun., Aug. 4"), a day its ordinal ending ("April 24th"),
# and a time the dot British pages write for its colon ("08.33 BST").
TIMESTAMP_TOKEN = re.compile(
    rf"^(\d{{1,4}}|(?:{MONTHS}|{WEEKDAYS})\.?|\d{{1,2}}(?:st|nd|rd|th)|am|pm|a\.m\.|p\.m\.|{meta.TIME_ZONES}|"
    rf"\d{{1,2}}[:.]\d{{2}}(:\d{{2}})?([ap]\.?m\.?)?|\d{{1,2}}[ap]\.?m\.?|@|update|created|"
    rf"[a-z0-9-]+\.(com|net|org|tv)|ago|minutes?|hours?|days?|weeks?|months?|years?|"
    rf"\d{{4}}-\d{{2}}-\d{{2}}(t[\d:.+z-]+)?|\d{{1,2}}/\d{{1,2}}/\d{{2,4}}|"
    rf"\d{{1,2}}\.\d{{1,2}}\.\d{{2,4}}|at|on|last|modified|updated|published|posted|[|,.·•–-])$",
    re.I,
)

# "By Jane Doe", "By Jane Doe and John Roe", "Harbor Daily Report", "AFP Staff", "Online Desk".
BYLINE_BY = re.compile(r"^by:?\s+([A-Z][\w.'’-]+(?:\s+[A-Z][\w.'’-]+){0,3}(?:\s*(?:,|and|&)\s*[A-Z][\w.'’-]+(?:\s+[A-Z][\w.'’-]+){0,3})*)\s*$", re.I)
BYLINE_DESK = re.compile(r"^((?:[A-Z][\w&.'’-]*\s+)(?:[A-Z0-9][\w&.'’-]*\s+){0,2}[A-Z0-9][\w&.'’-]*|[A-Z][\w&.'’-]*)\s+((?i:report|desk|staff|correspondent|online|newsroom|staff writer|news desk|reporters?))$")

# A desk byline made only of these words names no outlet ("Breaking News Staff", "Web Desk").
GENERIC_DESK_WORDS = frozenset("breaking news web digital online staff metro city local national world sports "
                               "first original special initial wire earlier previous updated the".split())

# Photo credits: "REUTERS/Jane Doe/Pool/Files", "AP Photo/John Roe", "(Photo: Getty Images)".
PHOTO_CREDIT = re.compile(
    r"(\b[A-Z][A-Za-z]+(?: Photo)?/[A-Z][\w .'’-]+(?:/[A-Za-z]+)*\.?\s*$)|"
    r"(^\(?(photo|image|picture|file photo|photograph)(\s+credit)?\s*:)|"
    r"(\((photo|image)[^)]*\)\s*$)|"
    r"(\b(Getty Images|Shutterstock|AFP via Getty Images)\.?\s*$)",
    re.I,
)

# A caption written as a sentence about the picture: "A photograph released by the state news agency shows
# ...", "In this April 20 photo provided by ..., ...", "In this Monday, Dec. 3, 2012 photo, ..." (a month's
# abbreviating dot before its day is no sentence end).
CAPTION_SHAPE = re.compile(
    r"^(?:(?:a|an|this|the)\s+)?(?:file\s+)?(?:photo(?:graph)?|image|picture)\b[^.]{0,120}?\bshows\b|"
    r"^in\s+this\b(?:[^.]|\.(?=\s\d{1,2}\b)){0,60}?\b(?:photo(?:graph)?|image|picture)\b",
    re.I,
)

# A gallery's caption of any length, opening with its counter ("Image 8 of 40 <caption>. Photo: <credit>").
GALLERY_CAPTION = re.compile(r"^(?:image|photo|slide|picture)\s+\d+\s+(?:of|/)\s*\d+\b", re.I)

# A video player's blurb: a paragraph about an embedded clip that ends with the clip's own stamp,
# "... reports from the scene. (Published Tuesday, May 4, 2021)". The clip may be of another day or event.
VIDEO_BLURB_STAMP = re.compile(r"\((?P<stamp>(?:published|posted|updated)\b[^()]{4,60})\)\s*$", re.I)

# "(Nov. 9th 2015)" in the agency's place: the dateline's date.
DATE_IN_PARENS = re.compile(rf"^(?P<md>(?i:{MONTHS})\.?\s+\d{{1,2}})(?:st|nd|rd|th)?,?\s*(?P<year>\d{{4}})?$")
# "(Brad Roe)" where the agency stands: a reporter's name in title case (agencies are acronyms or brands).
PERSON_IN_PARENS = re.compile(r"^[A-Z][a-z]+(?:\s+[A-Z]\.)?\s+[A-Z][a-z]+(?:-[A-Z][a-z]+)?$")
# Notes after the agency inside the parentheses: "(AP MODIFIED)", "(Reuters Updated)".
AGENCY_NOTE = re.compile(r"\s+(modified|updated|update|edited|contributed)$", re.I)
# "NAYPYIDAW, August 3. /TASS/.", "LONDON, Nov 3 (Reuters) -", "WASHINGTON (AP) —", "PARIS, March 4 —",
# "WEST PALM BEACH, Fla. —" (a US state or region after the city).
DATELINE = re.compile(
    rf"^(?P<place>[A-Z][A-Z.'’ -]{{1,40}}[A-Z.])(?:\s*,\s*(?P<region>[A-Z][A-Za-z.]{{1,12}}(?: [A-Z][A-Za-z.]{{1,12}})?))?"
    rf"(?:\s*,\s*(?P<date>(?i:{MONTHS})\.?\s+\d{{1,2}}|\d{{1,2}}\s+(?i:{MONTHS})\.?)(?:\s*,\s*(?P<year>\d{{4}}))?)?"
    r"\s*(?:\.\s*/(?P<agency1>[A-Z][A-Za-z-]{1,15})/\s*\.?|\((?P<agency2>[A-Z][\w .-]{0,20})\)\s*(?:--|[-—–:])?|(?P<dash>--|[-—–]))(?:\s+|$)"
)
# A line that is a dateline and nothing else, its date after a comma or a dash, with no closing dash or with one:
# "WASHINGTON, DC, April 28, 2009", "WASHINGTON - April 27 -" (press releases set them so).
DATELINE_LINE = re.compile(
    rf"^(?P<place>[A-Z][A-Z.'’ -]{{1,40}}[A-Z.])(?:\s*,\s*(?P<region>[A-Z][A-Za-z.]{{1,12}}(?: [A-Z][A-Za-z.]{{1,12}})?))?"
    rf"\s*(?:,|--|[-—–])\s*(?P<date>(?i:{MONTHS})\.?\s+\d{{1,2}}|\d{{1,2}}\s+(?i:{MONTHS})\.?)(?:st|nd|rd|th)?"
    r"(?:\s*,\s*(?P<year>\d{4}))?\s*(?:--|[-—–])?\s*$"
)

# "Home > World > Asia", "News | Kestrelport | Crime": a trail of short segments.
BREADCRUMB_SEPARATOR = re.compile(r"\s+(?:>|›|»|\||/)\s+")
BREADCRUMB_MAX_SEGMENT_WORDS = 3

# Whole lines that are page furniture rather than article text, each with the reason logged.
FURNITURE: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("credits", re.compile(r"^\(?(reporting|additional reporting|writing|editing|compiled) by\b.*\)?$", re.I)),
    # A short line signed by a wire agency: an embedded video's title or a photo credit ("North Korea's Kim
    # suspends nuclear, missile test AP.", "Carlos Barria / Reuters."); not "..., he told Reuters."
    ("credits", re.compile(r"^(?=(?:\S+\s+){1,15}\S+$)[^.!?]{4,140}?(?<!\bthe)(?<!\bby)(?<!\bto)(?<!\btold)"
                           r"(?<!\bsaid)(?<!\bfrom)(?<!\bvia)(?<!\bwith)\s(?:AP|Reuters|AFP)\.?$")),
    # "Mark Landler contributed reporting from Washington, Motoko Rich from Tokyo." (names, then the credit)
    ("credits", re.compile(r"^(?:[A-Z][\w.'’-]*,?\s+(?:and\s+)?){1,6}contributed (?:additional )?(?:reporting|research)\b")),
    # Wire credits and sign-offs: "The Associated Press contributed to this report.", "—Metro Wire".
    ("credits", re.compile(r"(contributed to this (report|story)\.?$)|^(with )?(news )?wire services$|"
                           r"^[—–-]+\s*[\w .&'’-]{2,40}\b(wire|staff|press|report)$|"
                           r"^(the )?(associated press|staff (writer|report|reports))$", re.I)),
    ("copyright", re.compile(r"^\(?(copyright\b|©|\(c\)\s*\d{4}).{0,160}$|all rights reserved\.?$", re.I)),
    ("related-link", re.compile(r"^(also read|read also|read more|related|see also|more|watch|listen|recommended|"
                                r"also on \w+|read or share this story|previous story|next story|trending( stories)?)"
                                r"\s*[:|»>-]\s*\S", re.I)),
    ("promo", re.compile(r"^(sign up|subscribe|follow (us|\w+) on|follow (\S+ ){1,4}on (twitter|facebook|instagram|tiktok)\b|click here|download (our|the) app|get our|join our|"
                         r"support our journalism|we use cookies|this (article|story) (was|has been) (updated|amended))\b", re.I)),
    # Station and paper self-promotion: apps, social accounts, tips lines, "check back for updates".
    ("promo", re.compile(r"^(>>?\s*)?(download the .{0,40}\bapp\b|join the conversation\b|stay up to date\b|"
                         r"stay (on|with|tuned to) .{0,60}\b(for (the )?(latest|updates|more|developments)|as we)\b|"
                         r"refresh \S+ and\b|find \S+ on (twitter|facebook)|for more (\w+ )?news, |read more (\w+ ){0,3}stories on|"
                         r"report an error\b|submit a (news )?tip\b|send (us )?your news tips|(this is a developing story\.? )?"
                         r"check back (later )?for updates|this (is a developing story|story (will be|is being) updated)|"
                         r"email newsletters\b|(close )?get email notifications\b|follow \S+( \S+)?:$|never miss another\b|"
                         r"don'?t miss a thing\b|get (breaking news|email) alerts\b|get breaking news first\b|"
                         r"text \W?\w+\W? to \d+ to\b|take \S+ with you!|download our( free)? apps?\b|"
                         r"on a mobile device\? watch\b|all of the day.s important news\b|.{0,60}\bapps?\b.{0,40}\biphone\b.{0,20}\bandroid\b)", re.I)),
    # Site and player messages: accounts, notifications, paywalls, players that need JavaScript.
    ("site-ui", re.compile(r"(enable javascript|requires javascript|trouble viewing the video|ad ?block(ing|er)? extensions?|"
                           r"your notification has been saved|problem saving your notification|email notifications are only sent|"
                           r"sent you a verification email|thank you for registering|already have an account|already a subscriber|"
                           r"submitting your registration|characters with black color|^sign in using|please sign in|"
                           r"why are we asking this|you are the owner of this article|premium clicks|zip ?code is not in our|re-enter zip ?code|^get digital access|"
                           r"convenience of home delivery|log in if you already have|^just one more thing|^(like|share) this:|"
                           r"add a location to your tweets|^\d+ pending comments|posts new content|a friend wanted you to see|"
                           r"\{\*.*\*\}|have an online subscription\?|need an account\? create one|no email address was supplied|"
                           r"confirm or modify the email address|read the maximum number of|become a full access subscriber|"
                           r"we offer delivery options|adobe flash player|^leave a reflection|photos uploaded by|"
                           r"upload your photos)", re.I)),
    # A reporter's sign-off under the story: "— Jo Roe", "-- Sam Lee-Park".
    ("byline", re.compile(r"^(—|–|--)\s*[A-Z][a-z]+(?:\s+[A-Z][\w.'’-]+){1,2}$")),
    # Wiki section headings kept with their edit links: "Victims [ edit ]".
    ("navigation", re.compile(r"\[\s*edit\s*\]$", re.I)),
    # The Wayback Machine's toolbar when an archived copy was scraped: "Apr MAY Jun 20 2015 2016 2017 1 captures".
    ("archive-toolbar", re.compile(rf"^({MONTHS})\s+({MONTHS})\s+({MONTHS})\s+\d.*\bcaptures?\b", re.I)),
    ("gallery", re.compile(r"^(image|photo|slide|picture)\s+\d+\s+(of|/)\s*\d*", re.I)),
    ("caption", re.compile(r"^(image source|image caption|media caption|photo source|getty images)\s*[,:]", re.I)),
)
# A furniture pattern only removes short lines: a long line that starts "Read more" is article text.
FURNITURE_MAX_CHARS = 220
# Outlet names on a line of their own: "Coastline Times", "Valtoria Broadcasting".
MASTHEAD_MIN_WORDS = 2
MASTHEAD_MAX_WORDS = 4
# A subheading: a short line between body paragraphs that does not end a sentence.
HEADING_MAX_WORDS = 8
# A title line is short and does not end like a sentence.
TITLE_MAX_WORDS = 25
# Lines this short may repeat in real text (an answer "No.", "Yes."): only longer repeats are dropped.
DUPLICATE_MIN_WORDS = 3
# A title ending like a sentence and longer than this is a lead sentence, not a headline: 81% of ECB+
# "titles" (first sentences) end a sentence with >16 words, against 6% of GVA's real headlines that end one.
LEAD_TITLE_MIN_WORDS = 16
# Teasers shorter than this are too short to call truncated copies with confidence.
TEASER_MIN_CHARS = 40
# A teaser opens like the full paragraph and shares nearly all its words with it (TASS-style leads
# shorten the middle of the sentence, so a plain prefix test misses them).
TEASER_OPENING_WORDS = 5
TEASER_CONTAINMENT = 0.9
# Closing quotes may follow the stop, also as detokenised ' and '' (ECB+: "That's it. ''").
SENTENCE_END = re.compile(r"[.!?…:;\"”’»)\]](\s*['’\"”`]{1,2})*\s*$")
# A line with no word of this many letters is widget residue ("(2) 0-1", "---", "A A").
RESIDUE_MIN_LETTERS = 3
RESIDUE_MAX_CHARS = 40
# Template or widget identifiers left as text: one long token joined by underscores or pipes.
WIDGET_CODE = re.compile(r"^(?=\S*[_|])\S{15,}(\s+\S*[_|]\S*)*$")
# An embedded tweet with fewer words of its own than this is a reporter's promo ("Latest @ 10&11 <link>"): removed;
# a longer one is someone's words ("More info to follow as I know more.... — <official> (@...)"), kept.
TWEET_MIN_WORDS = 4
# A line that is only a web address (a source list under a blog post): no sentence to read or cite.
BARE_LINK = re.compile(r"^[(<\[]?(https?://|www\.)\S+?[)>\]]?[.,;]?$", re.I)
# Author contact lines: e-mail addresses, @handles, profile links and their labels, nothing else.
CONTACT_TOKEN = re.compile(r"([\w.+-]+@[\w-]+\.[\w.]+|@\w+|(https?://)?(www\.)?(twitter|facebook|instagram)\.com/\S*|"
                           r"\(?\d{3}\)?[ .-]\d{3}[ .-]\d{4})", re.I)
CONTACT_LABEL = re.compile(r"\b(e-?mail|twitter|facebook|instagram|contact|follow|phone|call|or|at|on|and)\b[:|]?", re.I)
# At most this many other words may stand beside the addresses (the reporter's name: "Contact Jo Roe:").
CONTACT_MAX_OTHER_WORDS = 4
# "2:41 Police talk about the arrest": a video playlist entry (duration, title); two make a list.
VIDEO_ENTRY = re.compile(r"^\d{1,2}:\d{2}\s+(?![ap]\.?m\b)[^\d\s]", re.I)
VIDEO_LIST_MIN_ENTRIES = 2
# Credit words left when a photo credit stands alone ("Buy Photo", "(Photo: WKRN)", "Image via Shutterstock").
CREDIT_ONLY = re.compile(r"^[.\s]*(buy photo\s*)*(\([\w .&'’/-]{1,30} (photo|file photo|image)\)|\(?(photo|image|file photo|picture)s?\s*(:|via|by|courtesy( of)?)\s*"
                         r"[\w .&'’/-]{1,40}\)?)?(buy photo)?$", re.I)


@dataclass
class Lines:
    """The working state: remaining lines with their original positions, and what was removed."""

    items: list[tuple[int, str]]
    removals: list[Removal] = field(default_factory=list)
    authors: list[str] = field(default_factory=list)
    timestamps: list[str] = field(default_factory=list)
    outlet_signals: list[tuple[str, str]] = field(default_factory=list)  # (signal, outlet name)
    captions: set[int] = field(default_factory=set)  # original positions of caption lines kept
    dateline: str | None = None
    dateline_date: str | None = None
    dateline_year: str | None = None

    def drop(self, position: int, reason: str) -> None:
        for i, (pos, text) in enumerate(self.items):
            if pos == position:
                self.removals.append(Removal(reason, text, pos))
                del self.items[i]
                return


def key(line: str) -> str:
    """Comparison key: case-folded, punctuation-light, single-spaced."""
    return re.sub(r"\W+", " ", line.casefold()).strip()


def is_navigation(line: str) -> bool:
    return key(line) in NAVIGATION or (is_breadcrumb(line) and not is_timestamp(line))


def is_breadcrumb(line: str) -> bool:
    segments = BREADCRUMB_SEPARATOR.split(line.strip())
    return len(segments) >= 2 and all(
        0 < len(seg.split()) <= BREADCRUMB_MAX_SEGMENT_WORDS and not ends_sentence(seg) for seg in segments
    )


def is_timestamp(line: str) -> bool:
    rest = TIMESTAMP_LABEL.sub("", SPACED_TIME.sub(r"\1", line.strip()))
    tokens = [t.rstrip(":") for t in re.split(r"[\s,()|]+", rest) if t.rstrip(":")]
    if not tokens or len(line) > 90:
        return False
    has_digit = any(ch.isdigit() for ch in rest)
    return has_digit and all(TIMESTAMP_TOKEN.match(t) for t in tokens)


def byline_author(line: str) -> str | None:
    """The name or desk in a byline line, or None when the line is not a byline."""
    stripped = line.strip()
    match = BYLINE_BY.match(stripped)
    if match and len(stripped.split()) <= 12:
        return match.group(1)
    match = BYLINE_DESK.match(stripped)
    if match:
        return stripped
    return None


def is_caption(line: str) -> bool:
    """A photo caption or a video clip's blurb: kept as text, never read as the article's own statements."""
    stripped = line.strip()
    blurb = VIDEO_BLURB_STAMP.search(stripped)
    return bool(PHOTO_CREDIT.search(stripped) or CAPTION_SHAPE.search(stripped) or GALLERY_CAPTION.match(stripped)
                or (blurb and blurb.start() > 0 and is_timestamp(re.sub(r"\b([A-Za-z]{3,4})\.", r"\1", blurb.group("stamp")))))


def ends_sentence(line: str) -> bool:
    return bool(SENTENCE_END.search(line))


def looks_like_title(line: str) -> bool:
    words = line.split()
    return 0 < len(words) <= TITLE_MAX_WORDS and not line.rstrip().endswith((".", "!", "?", ":"))


def remove_navigation(lines: Lines) -> None:
    find_mastheads(lines)
    for pos, text in list(lines.items):
        if is_navigation(text):
            lines.drop(pos, "navigation")
            continue
        reason = furniture_reason(text) or line_reason(text)
        if reason:
            lines.drop(pos, reason)
    remove_video_lists(lines)


def line_reason(line: str) -> str | None:
    """Why a whole line is residue, a bare web address, an author's contact line or a lone photo credit, or None."""
    stripped = line.strip()
    if (len(stripped) <= RESIDUE_MAX_CHARS and not re.search(rf"[^\W\d_]{{{RESIDUE_MIN_LETTERS}}}", stripped)
            and not is_timestamp(stripped) and not (ends_sentence(stripped) and re.search(r"\w", stripped))):
        return "residue"  # a short answer ("No.") or a score ("20 - 13.") ends a sentence and stays
    if WIDGET_CODE.match(stripped):
        return "residue"
    if BARE_LINK.match(stripped):
        return "link"
    if is_bare_tweet(stripped):
        return "tweet-embed"
    if is_contact(stripped):
        return "contact"
    if len(stripped) <= FURNITURE_MAX_CHARS and CREDIT_ONLY.match(stripped) and re.search(r"photo|image|picture", stripped, re.I):
        return "photo-credit"
    return None


def is_bare_tweet(line: str) -> bool:
    """An embedded tweet's line that is only addresses, handles and its signature, or nearly."""
    own = post_words(line)
    if own is None:
        return False
    return len([w for w in own.split() if re.search(r"[^\W\d_]", w)]) < TWEET_MIN_WORDS


def is_contact(line: str) -> bool:
    """An author's e-mail, @handle, profile link or phone with at most a name and labels beside it."""
    if len(line) > FURNITURE_MAX_CHARS or not CONTACT_TOKEN.search(line):
        return False
    rest = CONTACT_LABEL.sub(" ", CONTACT_TOKEN.sub(" ", line))
    return len(re.findall(r"[^\W\d_]{2,}", rest)) <= CONTACT_MAX_OTHER_WORDS and not ends_like_prose(line)


def ends_like_prose(line: str) -> bool:
    """A full stop right after an ordinary word ("...the department tweeted."), not after an address or label."""
    match = re.search(r"([^\W\d_]{3,})[.!?]\s*$", line)
    return bool(match) and not CONTACT_LABEL.fullmatch(match.group(1)) and not re.search(r"[@/]\w*$", line[: match.end(1)])


def remove_video_lists(lines: Lines) -> None:
    """Drop video playlist entries ("2:41 Police talk about the arrest") when the page lists several."""
    entries = [pos for pos, text in lines.items if VIDEO_ENTRY.match(text) and not ends_sentence(text)]
    if len(entries) >= VIDEO_LIST_MIN_ENTRIES:
        for pos in entries:
            lines.drop(pos, "video-list")


def furniture_reason(line: str) -> str | None:
    """Why a whole line is page furniture (credits, copyright, promos, related links), or None."""
    stripped = line.strip()
    if len(stripped) > FURNITURE_MAX_CHARS:
        return None
    for reason, pattern in FURNITURE:
        if pattern.search(stripped):
            return reason
    return None


def looks_like_name(line: str) -> bool:
    words = line.split()
    return (
        MASTHEAD_MIN_WORDS <= len(words) <= MASTHEAD_MAX_WORDS
        and all(w[0].isupper() for w in words)
        and not any(ch.isdigit() or ch in ".,:;!?\"“”‘’'" for ch in line)
    )


def find_mastheads(lines: Lines) -> None:
    """A short proper name next to page furniture (navigation, timestamps) is the outlet's masthead."""
    items = lines.items
    for i, (pos, text) in enumerate(items):
        if not looks_like_name(text) or byline_author(text) or not meta.is_outlet_name(text):
            continue
        neighbours = [items[j][1] for j in (i - 1, i + 1) if 0 <= j < len(items)]
        if any(is_navigation(n) or is_timestamp(n) for n in neighbours):
            lines.outlet_signals.append((f"masthead:{text.strip()}", text.strip()))


def remove_bylines_and_timestamps(lines: Lines) -> None:
    for pos, text in list(lines.items):
        author = byline_author(text)
        if author:
            lines.authors.append(author)
            desk = BYLINE_DESK.match(text.strip())
            name = desk_outlet(desk.group(1)) if desk else None
            if name:
                lines.outlet_signals.append((f"byline:{text.strip()}", name))
            lines.drop(pos, "byline")
        elif is_timestamp(text):
            lines.timestamps.append(text.strip())
            lines.drop(pos, "timestamp")


def desk_outlet(desk: str) -> str | None:
    """The outlet a desk byline names ("Telegraph Staff" -> "Telegraph"), None for a generic desk ("Breaking News")."""
    words = desk.split()
    while words and words[0].lower() in GENERIC_DESK_WORDS | {"by"}:
        words.pop(0)
    while words and words[-1].lower() in GENERIC_DESK_WORDS:
        words.pop()
    name = " ".join(words)
    if not re.search(r"[^\W\d_]{2}", name):  # "Metro 9 Staff" leaves a bare number: no name
        return None
    # A desk that is not itself an outlet ("Sacto 911 Staff", a paper's crime blog) names none.
    return name if meta.is_outlet_name(name) or name.split()[0].isupper() else None


def remove_mastheads(lines: Lines) -> None:
    """Drop lines that only name the outlet a byline already named ("Coastline Times" above the title)."""
    names = {key(name) for _, name in lines.outlet_signals}
    for pos, text in list(lines.items):
        if key(text) in names:
            lines.drop(pos, "masthead")


def is_lead_sentence(title: str) -> bool:
    """A declared "title" that is the article's first sentence (ECB+ and some feeds give one)."""
    return ends_sentence(title) and len(title.split()) > LEAD_TITLE_MIN_WORDS or len(title.split()) > TITLE_MAX_WORDS


def remove_title_repeats(lines: Lines, *titles: str | None) -> None:
    """Drop body copies of the headline; a lead sentence standing in for a title keeps its body copy."""
    keys = {key(t) for t in titles if t and not is_lead_sentence(t)}
    for pos, text in list(lines.items):
        if key(text) in keys:
            lines.drop(pos, "title-repeat")


def remove_duplicates(lines: Lines) -> None:
    """Keep the first copy of every repeated line; a repeated caption is logged as such."""
    seen: set[str] = set()
    for pos, text in list(lines.items):
        k = key(text)
        if not k or len(k.split()) < DUPLICATE_MIN_WORDS:
            continue
        if k in seen:
            lines.drop(pos, "duplicate-caption" if is_caption(text) else "duplicate")
        else:
            seen.add(k)


def mark_captions(lines: Lines) -> None:
    for pos, text in lines.items:
        if is_caption(text):
            lines.captions.add(pos)


def remove_teasers(lines: Lines) -> None:
    """Drop a line cut off mid-sentence whose words another line repeats: a scraped teaser of a later paragraph,
    or a gallery's cut copy of the caption just before it ("<caption> ..." after "Image 8 of 40 <caption>")."""
    items = list(lines.items)
    keyed = [key(text).split() for _, text in items]
    # A gallery's short captions went as furniture before this; their cut copies are still to go.
    galleries = [key(r.text).split() for r in lines.removals if r.reason == "gallery"]
    for i, (pos, text) in enumerate(items):
        if ends_sentence(text) and not text.rstrip().endswith(("…", "...")):
            continue
        stripped = text.rstrip(" .…")
        if len(stripped) < TEASER_MIN_CHARS:
            continue
        # The last word may be cut ("earlie" for "earlier"): compare without it.
        head = key(stripped.rsplit(" ", 1)[0]).split()
        if len(head) < TEASER_OPENING_WORDS:
            continue
        for j, words in enumerate(keyed):
            # An earlier line must be the longer, complete one: two cut copies do not remove each other.
            if j != i and (j > i or len(words) > len(head) + 2) and _repeats(head, words):
                lines.drop(pos, "teaser")
                break
        else:
            if any(len(words) > len(head) + 2 and _repeats(head, words) for words in galleries):
                lines.drop(pos, "teaser")


def _repeats(head: list[str], other: list[str]) -> bool:
    """True when `other` holds head's first words in a row (at its start, or after a counter such as "Image 8 of
    40") and nearly all of head's words."""
    opening = head[:TEASER_OPENING_WORDS]
    if len(other) <= len(head) - 2 or not any(other[k:k + len(opening)] == opening
                                              for k in range(0, len(other) - len(head) + 3)):
        return False
    other_words = set(other)
    return sum(w in other_words for w in head) / len(head) >= TEASER_CONTAINMENT


def remove_headings(lines: Lines) -> None:
    """Drop short non-sentence lines sitting between body paragraphs (subheadings, section labels)."""
    items = list(lines.items)
    for i, (pos, text) in enumerate(items):
        if i == 0 or i == len(items) - 1 or pos in lines.captions:
            continue
        words = text.split()
        if len(words) > HEADING_MAX_WORDS or ends_sentence(text):
            continue
        before, after = items[i - 1][1], items[i + 1][1]
        if ends_sentence(before) and len(after.split()) > HEADING_MAX_WORDS:
            lines.drop(pos, "heading")


# A wire story's credit run on at the end of its last paragraph: "... I don't know." (Additional reporting by
# <names>; Editing by <name>)". A credit alone on its line is furniture ("credits" above).
TRAILING_CREDIT = re.compile(r"\s*\((?:additional )?(?:reporting|writing|editing|compiled|research) by [^()]{3,300}\)\.?\s*$",
                             re.I)


def strip_trailing_credits(lines: Lines) -> None:
    """Take a wire credit off the end of a paragraph it was run into, keeping the paragraph."""
    for i, (pos, text) in enumerate(lines.items):
        match = TRAILING_CREDIT.search(text)
        if match and match.start() > 0:
            lines.removals.append(Removal("credits", text[match.start():].strip(), pos))
            lines.items[i] = (pos, text[:match.start()].rstrip())


def strip_dateline(lines: Lines) -> None:
    """Take a dateline ("NAYPYIDAW, August 3. /TASS/.") off the first body paragraph that has one."""
    for i, (pos, text) in enumerate(lines.items[:4]):
        match = DATELINE_LINE.match(text) or DATELINE.match(text)
        if not match or len(match.group("place").split()) > 4:
            continue
        found = match.groupdict()
        alone = match.end() >= len(text.rstrip()) and i + 1 < len(lines.items)  # "WASHINGTON —" on its own line
        if not alone and (len(text) <= match.end() + 20 or not (found["date"] or found.get("agency1") or found.get("agency2"))):
            continue
        agency = found.get("agency1") or found.get("agency2")
        date_in_parens = agency and DATE_IN_PARENS.match(agency)
        if date_in_parens or (agency and PERSON_IN_PARENS.match(agency) and not meta.is_outlet_name(agency)):
            agency = None  # "(Nov. 9th 2015) --" is the date; "(Jo Roe) --" the reporter, not an agency
        elif agency:
            agency = AGENCY_NOTE.sub("", agency).strip()  # "(AP MODIFIED)": the agency, its copy edited
        if agency:
            lines.outlet_signals.append((f"dateline:{agency.strip()}", agency.strip()))
        lines.dateline = text[: match.end()].strip()
        lines.dateline_date = match.group("date") or (date_in_parens.group("md") if date_in_parens else None)
        lines.dateline_year = match.group("year") or (date_in_parens.group("year") if date_in_parens else None)
        lines.removals.append(Removal("dateline", lines.dateline, pos))
        if alone:
            del lines.items[i]
        else:
            lines.items[i] = (pos, text[match.end():].strip())
        return


def is_dateline_only(line: str) -> bool:
    """True for a line that is a dateline and nothing else ("WASHINGTON —"): never a title."""
    if DATELINE_LINE.match(line.strip()):
        return True
    match = DATELINE.match(line.strip() + " ")
    return bool(match) and match.end() >= len(line.strip())
