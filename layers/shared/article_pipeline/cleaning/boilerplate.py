"""Line rules that tell an article's own words from the furniture around them.

Each rule is a general pattern of news pages at large (share bars, newsletter pitches,
"More from <Site>", copyright notices...), never a list of phrases from one site. Rules only
look at short lines: a real paragraph that happens to start with "Share" is long, or goes on
in a way no rule accepts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Boilerplate lines are short; anything longer is treated as prose without running rules.
MAX_BOILERPLATE_CHARS = 300

_SOCIAL = (
    r"(?:facebook|twitter|x|instagram|linkedin|tiktok|youtube|threads|bluesky|mastodon|"
    r"whatsapp|telegram|pinterest|reddit|snapchat|flipboard|google news|apple news)"
)
_SEP = r"\s*(?:[:\-\u2013\u2014\u00bb>|.\u2026]|$)"


@dataclass(frozen=True)
class LineRule:
    kind: str
    pattern: re.Pattern[str]


def _rule(kind: str, pattern: str) -> LineRule:
    return LineRule(kind, re.compile(pattern, re.IGNORECASE))


# Order matters only where two rules could claim one line; the first wins.
LINE_RULES: tuple[LineRule, ...] = (
    _rule(
        "advertisement",
        r"(?:advertisement|advertising|ads?|sponsored(?: content| post| links?| stories)?|"
        r"paid (?:content|post|partner content)|promoted(?: content| stories)?|partner content|"
        r"(?:story|article) continues below(?: this)?(?: advertisement| ad)?|"
        r"continue reading (?:the main story|below)|scroll (?:down )?to continue(?: with content| reading)?|"
        r"skip advert(?:isement)?|supported by|ad feedback|report (?:this )?ad)\s*[:.]?",
    ),
    _rule(
        "share",
        r"(?:share|sharing)(?:\s+(?:this|the|it|on|via|with|to|article|story|post|page|link|now))*"
        r"\s*(?:[:!|\u2026]|$).{0,250}",
    ),
    _rule("share", rf"(?:(?:{_SOCIAL}|e-?mail|print|tweet|share|copy link|comments?|sms|messenger)[\s,|/\u2022\u00b7]*){{1,12}}"),
    _rule("share", r"(?:click (?:here )?to |tap to )?(?:share|tweet|email|e-mail|print|pin|save) (?:this|it|on|to|via)\b.{0,150}"),
    _rule(
        "follow",
        rf"\W?follow (?:us|me|him|her|them|@\w+|[\w .'\u2019-]{{1,60}}? on {_SOCIAL})\b.{{0,200}}",
    ),
    _rule("follow", rf"(?:like us on|find us on|connect with us|join us on|join the conversation)\b.{{0,200}}"),
    # A newsletter pitch starts the line (or follows a short teaser such as "Want more?").
    _rule(
        "newsletter",
        r"(?:.{0,40}[.!?:]\s+)?(?:sign up|sign-up|subscribe|register|get|receive|join)\b.{0,60}?"
        r"\b(?:our|the|this|my|a|free|daily|weekly)\b.{0,60}?\bnewsletters?\b.{0,150}",
    ),
    _rule("newsletter", r"newsletters?\s*[:\-\u2013\u2014|].{0,250}"),
    _rule("newsletter", r".{0,150}\b(?:delivered|straight|directly|sent) to your inbox\b.{0,100}"),
    _rule(
        "newsletter",
        r"(?:sign up|subscribe)(?: now| today| here)?(?: for| to) (?:our|free|e-?mail|breaking news|news alerts|"
        r"updates|alerts|newsletters?|the latest)\b.{0,150}",
    ),
    _rule(
        "more_from",
        r"(?:more|read more|more stories|more news|more articles|more videos) (?:from|by) "
        r"(?P<source>(?:the )?(?-i:[A-Z0-9])[^.!?]{0,60}?)\s*[:\u00bb>\u2026]?",
    ),
    _rule("more_from", r"more (?:on|about|in) (?-i:[A-Z0-9])[^.!?]{0,60}?\s*[:\u00bb>\u2026]?"),
    _rule(
        "read_more",
        r"(?:read more|read the full (?:story|article|report)|continue reading|keep reading|read next|"
        r"read also|also read|click here to read|full story|read the original(?: article)?)"
        r"(?:\s*[:\-\u2013\u2014\u00bb>|.\u2026]|\s*$|\s+(?:about|at|on|here|from|in)\b).{0,250}",
    ),
    # The same furniture in German, French, Spanish, Italian and Polish.
    _rule(
        "read_more",
        r"(?:lesen sie (?:auch|mehr|hier)|auch interessant|mehr zum thema|mehr dazu|weiterlesen|weitere artikel|"
        r"das k[öo]nnte sie (?:auch )?interessieren|"
        r"(?:[àa] )?lire aussi|lire la suite|voir aussi|[àa] voir aussi|"
        r"(?:lea|vea) (?:tambi[ée]n|m[áa]s)|le puede interesar|te puede interesar|leer m[áa]s|ver tambi[ée]n|"
        r"leggi anche|leggi di pi[ùu]|czytaj (?:te[żz]|tak[żz]e|wi[ęe]cej)|dowiedz si[ęe] wi[ęe]cej|zobacz (?:te[żz]|tak[żz]e))"
        r"(?:\s+[\w-]+){0,4}?" + _SEP + r".{0,250}",
    ),
    _rule(
        "share",
        r"(?:(?:artikel|beitrag|seite) )?(?:teilen|partager|compartir|condividi|udost[ęe]pnij)"
        rf"(?:\s+(?:auf|sur|en|su|on|via|per|par)\s+{_SOCIAL})?\s*(?:[:!|…]|$).{{0,250}}",
    ),
    _rule(
        "newsletter",
        r"(?:jetzt |hier )?(?:newsletter (?:abonnieren|bestellen)|abonnez-vous|inscrivez-vous|suscr[íi]bete|iscriviti)\b.{0,200}",
    ),
    _rule(
        "related",
        r"(?:related(?: articles?| stories| posts?| content| coverage| news| links?| reading| topics?| videos?)?|"
        r"see also|you (?:may|might) also (?:like|be interested in|enjoy)|recommended(?: for you| stories| reading| videos?)?|"
        r"more stories|most (?:read|popular|viewed|shared)|trending(?: now| stories)?|what to read next|"
        r"popular (?:now|stories)|more on this (?:story|topic))" + _SEP + r".{0,250}",
    ),
    _rule(
        "copyright",
        r"(?:\u00a9|\(c\)|copyright\b|all rights reserved\b).{0,250}"
        r"|.{0,200}\ball rights reserved\b.{0,100}"
        r"|.{0,100}\bmay not be (?:published|reproduced), broadcast, rewritten,? or redistributed\b.{0,100}",
    ),
    _rule(
        "staff_credit",
        r"\(?(?:additional )?(?:reporting|writing|editing|compiled) by (?-i:[A-Z]).{0,250}",
    ),
    _rule("tags", r"(?:tags|tagged|topics|filed under|categories|posted in)\s*:.{0,250}"),
    _rule(
        "comments",
        r"(?:\d+\s+)?comments?|(?:leave|post|add|view|show|read|load) (?:a |all |the |your )?(?:\d+ )?comments?\b.{0,80}",
    ),
)

_COPYRIGHT_PREFIX = re.compile(
    r"^(?:\u00a9|\(c\)|copyright\b)[\s\u00a9:]*(?:\(c\))?\s*(?:\d{4}(?:\s*[-\u2013/]\s*\d{2,4})?)?[\s,]*",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class LineVerdict:
    kind: str
    publisher: str | None = None


def _unwrap(line: str) -> str:
    """Drop the brackets or list bullets some scrapers put around furniture lines."""
    stripped = line.strip().lstrip("\u2022*\u25ba\u25b6>\u00bb-\u2013\u2014 ").strip()
    if len(stripped) > 2 and stripped[0] + stripped[-1] in ("()", "[]", "{}"):
        stripped = stripped[1:-1].strip()
    return stripped


def _publisher_from_copyright(line: str) -> str | None:
    rest = _COPYRIGHT_PREFIX.sub("", line.strip(), count=1)
    if rest == line.strip():
        return None
    rest = re.split(r"\.\s|\.$|,|\||\s[-\u2013\u2014]\s|\ball rights reserved\b", rest, maxsplit=1, flags=re.I)[0]
    rest = rest.strip(" .,;:")
    if 2 <= len(rest) <= 60 and rest[0].isupper() and not re.search(r"\d{4}", rest):
        return rest
    return None


def classify_line(line: str) -> LineVerdict | None:
    """The boilerplate kind of one line (and a publisher it names), or None for prose."""
    if len(line) > MAX_BOILERPLATE_CHARS:
        return None
    candidate = _unwrap(line)
    if not candidate:
        return None
    for rule in LINE_RULES:
        match = rule.pattern.fullmatch(candidate)
        if not match:
            continue
        publisher = None
        if rule.kind == "more_from":
            source = match.groupdict().get("source")
            publisher = source.strip() if source else None
        elif rule.kind == "copyright":
            publisher = _publisher_from_copyright(candidate)
        return LineVerdict(rule.kind, publisher)
    return None
