"""Pure readers for four embed families (placeholders, tweets in page data, cards, markup held as text):
each takes one element, string or parsed JSON value and returns the facts it shows, for extractors to build on."""
from __future__ import annotations

import base64
import binascii
import html
import json
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from lxml import etree
from lxml import html as lxml_html

from .build import clean_text
from .dates import parse_relative, parse_shown_date
from .html.reading import element_text
from .urls import StatusRef, find_status_urls, parse_status_url

__all__ = [
    "CardFields",
    "JsonEmbed",
    "card_fields",
    "embeds_in_json",
    "encoded_fragments",
    "handle_element",
    "holds_markup",
    "in_running_text",
    "json_documents",
    "json_in_script",
    "marks_tweet",
    "page_data",
    "placeholder_ref",
    "plain_text",
    "status_in_value",
    "teaser_path",
    "unwrap_markup",
]

# ---------------------------------------------------------------------------------------------------------
# Words: what a class, id, tag or attribute says about an element.
# ---------------------------------------------------------------------------------------------------------

_CAMEL = re.compile(r"([a-z0-9])([A-Z])")
_WORD = re.compile(r"[a-z0-9]+")
# Words that make a mark name a single tweet ("twitter", "tweet", glued ones such as "tweetembed").
_TWEET_STEMS = ("twitter", "tweet")
# X's own name is one letter: it names the network only next to an embed word ("x-embed", "embed-x", "x-post").
_X_PARTNERS = frozenset({"embed", "post", "status", "twitter", "tweet", "com"})
_X_GLUED = frozenset({"xembed", "embedx", "xpost", "xcom", "xtwitter"})
# Marks of Twitter widgets that are not one tweet: buttons, timelines, lists, profiles, regions of the page.
_NOT_ONE_TWEET_STEMS = ("share", "follow", "timeline", "intent", "button", "retweet", "hashtag", "mention",
                        "profile", "sidebar")
_NOT_ONE_TWEET_WORDS = frozenset({
    "btn", "list", "lists", "grid", "feed", "feeds", "moment", "moments", "collection", "count", "counter",
    "icon", "logo", "nav", "menu", "search", "trends", "user", "account", "author", "byline", "bio", "quoted",
    "login", "click", "ctt", "tweets", "rail",
})
# Attributes whose value says what kind of embed an element is (data-embed-type="twitter", data-provider=...).
_KIND_WORDS = frozenset({"type", "provider", "embed", "platform", "service", "network", "social", "source",
                         "vendor", "vendors", "widget", "component", "kind", "plugin", "module", "block",
                         "oembed", "name", "format", "media", "id"})
# Elements that are never a placeholder: the head's, scripts and styles, the page's own frame.
_NEVER_HOSTS = frozenset({"html", "head", "body", "meta", "link", "script", "style", "base", "title", "noscript",
                          "template", "textarea"})


def words(value: str) -> list[str]:
    """The lower-case words of a class, id, tag or attribute name: split at non-alphanumerics and camelCase.

    >>> words("js-embedTwitter social_embed")
    ['js', 'embed', 'twitter', 'social', 'embed']
    """
    return list(_words(value)) if len(value) <= MAX_CACHED_WORDS_CHARS else _split_words(value)


# Class lists, ids and attribute names repeat across a page and between pages: their words are kept. Longer
# values (styles, URLs, JSON) are split each time, and not kept.
MAX_CACHED_WORDS_CHARS = 120


@lru_cache(maxsize=4096)
def _words(value: str) -> tuple[str, ...]:
    return tuple(_split_words(value))


def _split_words(value: str) -> list[str]:
    return _WORD.findall(_CAMEL.sub(r"\1 \2", value).lower())


def _names_tweet(found: list[str]) -> bool:
    for i, word in enumerate(found):
        if any(stem in word for stem in _TWEET_STEMS) and "retweet" not in word and word != "tweets":
            return True
        if word in _X_GLUED:
            return True
        if word == "x" and ((i > 0 and found[i - 1] in _X_PARTNERS) or
                            (i + 1 < len(found) and found[i + 1] in _X_PARTNERS)):
            return True
    return False


def _kind_names_tweet(found: list[str]) -> bool:
    """A kind value (data-provider, "type") names the network: X may stand alone there ("x", "x.com")."""
    return _names_tweet(found) or found in (["x"], ["x", "com"])


def _names_other(found: list[str]) -> bool:
    return any(word in _NOT_ONE_TWEET_WORDS or any(stem in word for stem in _NOT_ONE_TWEET_STEMS) for word in found)


def _attribute_words(name: str) -> list[str]:
    found = words(name)
    return found[1:] if found[:1] == ["data"] else found


def _marks(element: Any) -> tuple[bool, bool]:
    """(says tweet, says something else than one tweet) from the element's tag, class, id and kind attributes."""
    says_tweet = says_other = False
    tag = element.tag if isinstance(element.tag, str) else ""
    for value in (tag, element.get("class") or "", element.get("id") or ""):
        found = words(value)
        says_tweet = says_tweet or _names_tweet(found)
        says_other = says_other or _names_other(found)
    for name, value in element.attrib.items():
        name_words = _attribute_words(name)
        if not name.startswith("data-") or name in ("data-id", "data-src", "data-url", "data-href"):
            continue
        if _names_tweet(name_words) and not _names_other(name_words):
            says_tweet = True
        if len(value) <= MAX_KIND_CHARS and any(word in _KIND_WORDS for word in name_words):
            found = words(value)
            says_tweet = says_tweet or _kind_names_tweet(found)
            says_other = says_other or _names_other(found)
    return says_tweet, says_other


# A kind attribute's value is a word or two ("twitter", "social-embed twitter"); longer values are content.
MAX_KIND_CHARS = 80


def marks_tweet(element: Any) -> bool:
    """Whether an element marks itself as one tweet's embed (its tag, class, id or a kind attribute names
    twitter/tweet/x-embed) and nothing says it is a button, timeline, list or profile instead.

    >>> marks_tweet(lxml_html.fromstring('<div class="embed embed--twitter"></div>'))
    True
    >>> marks_tweet(lxml_html.fromstring('<a class="twitter-follow-button" href="#">Follow</a>'))
    False
    """
    says_tweet, says_other = _marks(element)
    return says_tweet and not says_other


# ---------------------------------------------------------------------------------------------------------
# Placeholders: an element that marks itself as a tweet embed and carries its status.
# ---------------------------------------------------------------------------------------------------------

# A status id as an attribute holds it alone: 64-bit integers have at most 20 digits.
_BARE_ID = re.compile(r"\d{1,20}")
_MAX_ID = (1 << 63) - 1
# An attribute whose name says tweet or status: the first public tweets of 2006 had 2 digits.
MIN_NAMED_ID_DIGITS = 2
# An id attribute that does not say tweet (data-id, data-embed-id, id="tweet-…") on a marked element: CMS post
# ids and counters are shorter; every tweet from mid-2009 on has at least this many digits.
MIN_UNNAMED_ID_DIGITS = 10
# Words in an attribute name that make its id another thing's: users, widgets, media, the thread around it.
_OTHER_ID_WORDS = frozenset({
    "user", "author", "account", "profile", "owner", "creator", "screen", "list", "widget", "timeline",
    "collection", "conversation", "reply", "replies", "parent", "quoted", "quote", "retweet", "retweeted", "ad",
    "campaign", "media", "image", "photo", "video", "event", "place", "lang", "limit", "count", "height",
    "width", "theme", "align", "index", "position", "order", "page", "post", "article", "story", "node",
    "site", "gallery", "slot", "version", "time", "timestamp",
})
# Attributes holding a URL whose query may name the status shown (iframe and lazy-loader sources).
_SOURCE_ATTRIBUTES = frozenset({"src", "data-src", "data-lazy-src", "data-original", "data"})
# Elements whose source is a picture, sound or style, never a page showing a post (a tracking pixel's query
# names the page it counts). The placeholder extractor reads none of them.
MEDIA_TAGS = frozenset({"img", "picture", "source", "video", "audio", "track", "input", "link", "image"})
# Query parameters that hold the status an embed page or proxy shows.
_ID_PARAMETERS = ("id", "tweet_id", "tweetId", "tweetid", "status_id")
_URL_PARAMETERS = ("url", "src", "href", "tweet", "status", "u", "uri", "link", "embed", "tweet_url", "q")
# Hosts and paths that share, follow or compose: a status in their query is what is being shared.
_SHARING_WORDS = ("intent", "share", "sharer", "compose", "follow", "login", "search")
_TWITTER_HOSTS = ("twitter.com", "x.com")
# Embed pages that show one status given as ?id= (Twitter's widget iframe; "syndication" copies).
_EMBED_PAGE_WORDS = ("embed", "tweet.html", "syndication")
_TWEET_ID_IN_ID = re.compile(r"(?:tweet|twitter|status)[-_:]?(\d{1,20})", re.IGNORECASE)
_HANDLE_NAME_WORDS = frozenset({"screen", "handle", "username", "user", "author", "nickname"})
_HANDLE = re.compile(r"@?([A-Za-z0-9_]{1,15})")


def _plausible_id(value: str, min_digits: int) -> str | None:
    value = value.strip()
    if not _BARE_ID.fullmatch(value):
        return None
    digits = value.lstrip("0")
    if len(digits) < min_digits or int(digits) > _MAX_ID:
        return None
    return digits


def status_in_value(value: str, *, embed_page: bool = True) -> StatusRef | None:
    """The status an attribute value or string points at: a status URL (any spelling, percent-encoded
    too), a proxy or embed URL whose query names it (``?url=<status URL>``, Twitter's ``Tweet.html?id=``),
    JSON or embed markup holding one. Share, intent and follow URLs point at nothing.

    >>> status_in_value("https://cdn.embedly.com/widgets/media.html?url=https%3A%2F%2Fx.com%2Fa%2Fstatus%2F1234567890123")
    StatusRef(handle='a', id='1234567890123')
    >>> status_in_value("https://twitter.com/intent/tweet?url=https%3A%2F%2Fx.com%2Fa%2Fstatus%2F1234567890123") is None
    True
    """
    value = value.strip()
    if not value:
        return None
    if value[:14].lower().replace("%3a", ":").replace("%2f", "/").startswith(("http://", "https://", "//")) and \
            "%2f" in value[:14].lower():
        value = unquote(value)  # a whole URL percent-encoded once more (lazy loaders, CMS attributes)
    if value[:1] in "{[":
        for found in embeds_in_json(_loads(value)):
            if found.id:
                return StatusRef(found.handle, found.id)
        return None
    markup = unwrap_markup(value) if not value.lower().startswith(("http", "//", "www.")) else None
    if markup is not None:
        found_urls = find_status_urls(markup)
        return found_urls[-1][0] if found_urls else None  # the date link ends an embed; earlier ones are quoted
    if value.lower().startswith(("http", "//", "www.")):
        return _status_in_url(value, embed_page, depth=0)
    if "%2f" in value.lower():
        value = unquote(value)
    found_urls = find_status_urls(value)
    return found_urls[0][0] if found_urls else None


def _status_in_url(url: str, embed_page: bool, depth: int) -> StatusRef | None:
    try:
        parts = urlsplit(url if not url.startswith("www.") else "//" + url)
    except ValueError:
        return None
    host = (parts.hostname or "").lower()
    path = parts.path.lower()
    if any(word in host + path for word in _SHARING_WORDS):
        return None
    if _twitter_host(host):
        ref = parse_status_url(url.split("?", 1)[0])  # the status of the URL itself, never one in its query
        if ref is not None:
            return ref
    query = parse_qsl(parts.query)
    if embed_page and ("twitter" in host or "twimg" in host or host.endswith("x.com")) and any(
            word in path for word in _EMBED_PAGE_WORDS):
        for key, item in query:
            if key in _ID_PARAMETERS:
                found = _plausible_id(item, MIN_NAMED_ID_DIGITS)
                if found:
                    return StatusRef(None, found)
    if depth == 0:
        for key, item in (*query, *parse_qsl(parts.fragment)):
            if key.lower() in _URL_PARAMETERS and item.lower().startswith(("http", "//")):
                ref = _status_in_url(item, embed_page, depth + 1)
                if ref is not None:
                    return ref
    return None


def _twitter_host(host: str) -> bool:
    return any(host == name or host.endswith("." + name) for name in _TWITTER_HOSTS)


def _handle_attribute(element: Any) -> str | None:
    for name, value in element.attrib.items():
        if not name.startswith("data-"):
            continue
        name_words = set(_attribute_words(name))
        if name_words & _HANDLE_NAME_WORDS and not name_words & {"id", "url", "image", "avatar", "link"}:
            m = _HANDLE.fullmatch(value.strip())
            if m and not m.group(1).isdigit():  # an all-digit value is a user id
                return m.group(1)
    return None


def placeholder_ref(element: Any, *, in_marked_wrapper: bool = False) -> StatusRef | None:
    """The status a placeholder embed stands for, or None when the element is none.

    A placeholder marks itself as a tweet embed (its tag, class, id or a kind attribute names
    twitter/tweet/x-embed) and carries the status: an attribute holding only its id, a status URL in any
    attribute, a proxy or embed iframe's query, JSON or embed markup in a data attribute. An unmarked
    element counts only through an attribute whose *name* says tweet or status, or an iframe/lazy source
    whose query names the status. Buttons, timelines, lists and profiles, and ids of users, media or
    threads, are never read. The handle comes from a URL that gives it, else a screen-name attribute.
    ``in_marked_wrapper``: the element sits in one that marks itself as a tweet embed (a ``data-id`` inside
    ``div.embed-twitter``), which then counts as the element's own mark.

    >>> placeholder_ref(lxml_html.fromstring(
    ...     '<div class="component embed-twitter" data-embed-type="twitter" data-embed-id="580932146874957824"></div>'))
    StatusRef(handle=None, id='580932146874957824')
    """
    tag = element.tag if isinstance(element.tag, str) else ""
    if tag.lower() in _NEVER_HOSTS:
        return None
    says_tweet, says_other = _marks(element)
    if says_other:
        return None
    says_tweet = says_tweet or in_marked_wrapper
    named: list[str] = []  # ids from attributes whose name says tweet/status
    urls: list[StatusRef] = []  # statuses from URLs, JSON and markup
    unnamed: list[str] = []  # ids from generic id attributes of a marked element
    for name, value in element.attrib.items():
        name = name.lower()
        name_words = _attribute_words(name)
        if tag == "a" and not name.startswith("data-"):
            continue  # a link to a status is a link (cards, fallbacks and prose read those), not a placeholder
        if set(name_words) & _OTHER_ID_WORDS:
            continue
        # "status" names a tweet's status only on an element that says tweet (embetty's status="<id>"):
        # elsewhere it is an HTTP code or a state.
        named_tweet = _names_tweet(name_words) or (says_tweet and "status" in name_words)
        idish = any(word == "id" or word.endswith("id") for word in name_words)
        bare = value.strip()
        if _BARE_ID.fullmatch(bare):
            if named_tweet and (idish or says_tweet):
                found = _plausible_id(bare, MIN_NAMED_ID_DIGITS)
                if found:
                    named.append(found)
            elif says_tweet and idish and name != "id":
                found = _plausible_id(bare, MIN_UNNAMED_ID_DIGITS)
                if found:
                    unnamed.append(found)
            continue
        if name == "id":
            m = _TWEET_ID_IN_ID.fullmatch(bare)
            found = _plausible_id(m.group(1), MIN_UNNAMED_ID_DIGITS) if m else None
            if found:
                unnamed.append(found)
            continue
        self_described = name.startswith("data-") and bare[:1] in "{["  # JSON that says what it embeds
        unmarked_source = name in _SOURCE_ATTRIBUTES and tag.lower() not in MEDIA_TAGS
        if not (says_tweet or named_tweet or self_described or unmarked_source):
            continue
        if name in ("class", "style"):
            continue
        ref = status_in_value(value)
        if ref is not None and (says_tweet or named_tweet or self_described
                                or (unmarked_source and _source_shows_status(value))):
            urls.append(ref)
    candidates = named or [r.id for r in urls] or unnamed
    if not candidates:
        return None
    status_id = candidates[0]
    handle = next((r.handle for r in urls if r.id == status_id and r.handle), None)
    if handle is None and says_tweet:
        handle = _handle_attribute(element)
    return StatusRef(handle, status_id)


def _source_shows_status(value: str) -> bool:
    """An unmarked element's source URL counts when it is an embed page or proxy, not a status page itself
    (an ``img`` or ``div`` pointing at a status page is a credit or a link, not an embed)."""
    value = value.strip()
    try:
        parts = urlsplit(value if "//" in value else "//" + value)
    except ValueError:
        return False
    return not (_twitter_host(parts.hostname or "") and "/status" in parts.path.lower())


# ---------------------------------------------------------------------------------------------------------
# Tweets held in the page's own data.
# ---------------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class JsonEmbed:
    """What one embed object in page data says, and where it sits (``path``: the keys and list indexes from
    the root), with the nearest story object around it (``story_path``, ``story_url``, ``story_title``) so a
    caller can tell the article's own body from another story's cached teaser."""

    path: tuple[str | int, ...]
    id: str | None = None
    url: str | None = None
    handle: str | None = None
    name: str | None = None
    text: str | None = None
    html: str | None = None
    created_at: str | None = None
    quoted: JsonEmbed | None = None
    story_path: tuple[str | int, ...] | None = None
    story_url: str | None = None
    story_title: str | None = None
    kind: str = field(default="")


# Keys whose value says what an object is.
_TYPE_KEYS = ("type", "subtype", "provider", "provider_name", "providerName", "providerNameSlug", "embed_type",
              "embedType", "__typename", "blockName", "service", "platform", "network", "kind", "_type",
              "mediaType", "mediaResourceType", "component", "componentName", "source", "typename", "_template",
              "contentType", "content_type", "widget", "template", "@type")
# Keys of an embed object's own details, read with it (ANS raw_oembed and referent, block attributes).
_DETAIL_KEYS = frozenset({"raw_oembed", "oembed", "oembed_response", "referent", "attributes", "attrs", "data",
                          "metadata", "props", "embed", "value", "fields", "tweet", "settings", "config", "payload",
                          "options", "params"})
# Detail keys whose own type also makes their parent an embed (a block whose attributes say twitter).
_KIND_DETAIL_KEYS = frozenset({"raw_oembed", "oembed", "oembed_response", "referent", "attributes", "attrs",
                               "metadata", "embed", "settings"})
_TYPE_KEY_SET = frozenset(_TYPE_KEYS)
# Keys whose objects belong to another tweet or to the author, never the embed's own id.
_QUOTE_KEYS = ("quoted_tweet", "quoted_status", "quotedTweet", "quotedStatus", "quote", "quoted")
_PERSON_KEYS = ("user", "author", "core", "legacy_user")
# Words of a key naming a status id ("tweet-id", "id_str", "statusId") or whose id is another thing's.
_STATUS_KEY_WORDS = frozenset({"tweet", "tweetid", "status", "statusid", "str", "twitter", "twitterid", "embed",
                               "embedid", "post", "postid", "x"})
_OTHER_KEY_WORDS = _OTHER_ID_WORDS - {"post"} | {"_id", "uuid", "guid", "key", "hash", "client", "request"}
_HTML_KEY_WORDS = frozenset({"html", "markup", "code", "rendered", "raw", "body", "content", "inner", "embed"})
_HANDLE_KEYS = ("screen_name", "screenName", "username", "userName", "handle", "author_screen_name",
                "authorScreenName", "author_handle", "authorHandle", "alternateName")
_NAME_KEYS = ("author_name", "authorName", "display_name", "displayName", "user_name")
_TEXT_KEYS = ("full_text", "fullText", "text", "tweet_text", "tweetText", "articleBody", "description")
_TIME_KEYS = ("created_at", "createdAt", "date", "datetime", "timestamp", "published", "publishedAt", "datePublished")
# A story object: a title and where it lives, around a body of elements.
_TITLE_KEYS = ("headline", "headlines", "title", "name")
_STORY_URL_KEYS = ("canonical_url", "canonicalUrl", "website_url", "url", "slug", "path", "link", "permalink")
_BODY_KEYS = frozenset({"content_elements", "contentElements", "body", "blocks", "content", "cards",
                        "story-elements", "elements", "components", "paragraphs", "bodyContent", "articleBody"})
# Keys without which an object cannot be an embed (its type, details, tweet fields): the walk asks no other.
_SIGNAL_KEYS = frozenset({*_TYPE_KEYS, *_KIND_DETAIL_KEYS, "full_text", "fullText", *_HANDLE_KEYS, "author_url"})
# Keys that hold other stories: lists of teasers, rails, feeds, recommendations, "more" and "latest" boxes.
_TEASER_STEMS = ("related", "recommend", "teaser", "feed", "rail", "sidebar", "latest", "trending", "popular",
                 "promo", "recirc", "next", "more", "homepage", "tout", "carousel", "playlist",
                 "read", "also", "similar", "suggest")
# Schema.org types whose object says it is a post (JSON-LD's SocialMediaPosting). A CreativeWork with a status
# URL is a cited work, which a prose link is as much as an embed: not one.
_POST_TYPES = frozenset({"SocialMediaPosting", "DiscussionForumPosting"})
# Deepest nesting walked: article state is rarely deeper than 40 levels; a hostile blob may be 100,000 deep.
MAX_JSON_DEPTH = 64
# Longest string tried as a nested JSON document (double-encoded state).
MAX_NESTED_JSON_CHARS = 2_000_000
_AUTHOR_URL = re.compile(r"(?:twitter|x)\.com/(\w{1,15})/?$", re.IGNORECASE)


def _loads(text: str) -> Any:
    try:
        return json.loads(text)
    except (ValueError, RecursionError):
        return None


# Words a type value naming one embedded tweet is made of ("TwitterEmbedBlock", "core-embed/twitter",
# "jsembed", "oembed_response", "x-post"): a type with any other word names something else about Twitter
# ("tweet-thread-settings", "twitter-follow-config").
_EMBED_KIND_WORDS = frozenset({
    "twitter", "tweet", "x", "com", "embed", "embedded", "oembed", "jsembed", "block", "card", "post", "social",
    "status", "rich", "core", "response", "media", "element", "component", "video", "quote", "item", "node",
    "content", "html", "iframe", "amp", "module", "provider", "entity", "wp", "type", "official", "external",
})


def _kind_of(obj: dict[str, Any]) -> str:
    """A value among the type keys that names one embedded tweet ('' when none does)."""
    for key in _TYPE_KEY_SET.intersection(obj):
        value = obj[key]
        if isinstance(value, str) and len(value) <= MAX_KIND_CHARS and _names_embedded_tweet(value):
            return value
    return ""


@lru_cache(maxsize=1024)
def _names_embedded_tweet(value: str) -> bool:
    """Whether a type value names one embedded tweet (page data repeats a few type values many times)."""
    found = words(value)
    return _kind_names_tweet(found) and not _names_other(found) and _EMBED_KIND_WORDS.issuperset(found)


def _string(value: Any) -> str | None:
    if isinstance(value, str) and value.strip():
        return value.strip()
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return None


def _details(obj: dict[str, Any], keys: frozenset[str] = _DETAIL_KEYS) -> Iterator[dict[str, Any]]:
    """The object and its detail objects (ANS raw_oembed/referent, block attrs), two levels deep."""
    yield obj
    if keys.isdisjoint(obj):
        return
    for key, value in obj.items():
        if key in keys and isinstance(value, dict):
            yield value
            for inner_key, inner in value.items():
                if inner_key in keys and isinstance(inner, dict):
                    yield inner


def _status_of(obj: dict[str, Any], kind: str) -> tuple[str | None, str | None, str | None]:
    """(id, status URL, embed html) an embed object and its details hold: a status URL in any key, markup
    in a key naming html/content/code, an id in a key naming one (a bare ``id`` needs tweet-length digits)."""
    status_id = url = markup = None
    for part in _details(obj):
        for key, value in part.items():
            if not isinstance(value, (str, int)) or isinstance(value, bool) or key in _QUOTE_KEYS:
                continue
            key_words = set(words(key))
            text = _string(value) or ""
            if isinstance(value, str) and text.lower().startswith(("http", "//")):
                ref = status_in_value(text) if url is None else None
                if ref is not None:
                    url, status_id = text, status_id or ref.id
                continue
            if isinstance(value, str) and markup is None and key_words & _HTML_KEY_WORDS and (
                    "blockquote" in text.lower() or text[:3].lower() == "%3c" or text[:2] in ("PG", "PH")):
                markup = unwrap_markup(text) or text
                continue
            if status_id is None and kind and ("id" in key_words or key_words & {"tweetid", "statusid", "embedid",
                                                                                 "twitterid", "postid"}):
                if key_words & _OTHER_KEY_WORDS or key.startswith("_"):
                    continue
                named = bool(key_words & _STATUS_KEY_WORDS)
                status_id = _plausible_id(text, MIN_NAMED_ID_DIGITS if named else MIN_UNNAMED_ID_DIGITS)
    if markup is not None and status_id is None:
        ref = status_in_value(markup)
        if ref is not None:
            status_id = ref.id
    return status_id, url, markup


def _first(obj: dict[str, Any], keys: Iterable[str]) -> str | None:
    for part in _details(obj):
        for key in keys:
            value = part.get(key)
            if isinstance(value, str) and value.strip():
                return value.strip()
    return None


def _person(obj: dict[str, Any]) -> tuple[str | None, str | None]:
    """(handle, name) from the object, its person object (user/author) or an oEmbed author_url."""
    handle = _first(obj, _HANDLE_KEYS)
    name = _first(obj, _NAME_KEYS)
    if name is None and handle is not None and isinstance(obj.get("name"), str):
        name = obj["name"].strip() or None  # beside a screen name, "name" is the display name (Substack, the API)
    for key in _PERSON_KEYS:
        person = obj.get(key)
        if isinstance(person, dict):
            handle = handle or _first(person, _HANDLE_KEYS)
            name = name or _first(person, ("name", *_NAME_KEYS))
    author_url = _first(obj, ("author_url", "authorUrl"))
    if handle is None and author_url:
        m = _AUTHOR_URL.search(author_url)
        handle = m.group(1) if m else None
    if handle:
        handle = handle.lstrip("@")
        handle = handle if _HANDLE.fullmatch(handle) else None
    return handle, name


def _tweetish(obj: dict[str, Any]) -> bool:
    """An object without a twitter type still reads as a tweet when it has a status URL and tweet fields
    (Substack's data-attrs, an oEmbed response): text or author fields, not merely a link."""
    if _TWEETISH_KEYS.isdisjoint(obj):
        return False
    return (any(isinstance(obj.get(key), str) for key in _TWEET_FIELD_KEYS)
            or ("author_url" in obj and "html" in obj) or bool(_types_of(obj) & _POST_TYPES))


# The fields of an untyped tweet object (API or Substack JSON), and every key _tweetish looks at.
_TWEET_FIELD_KEYS = ("full_text", "fullText", *_HANDLE_KEYS)
_TWEETISH_KEYS = frozenset({*_TWEET_FIELD_KEYS, "author_url", "@type"})


def _types_of(obj: dict[str, Any]) -> set[str]:
    """A JSON-LD object's ``@type``: one name or a list of them."""
    kind = obj.get("@type")
    return {kind} if isinstance(kind, str) else {k for k in kind if isinstance(k, str)} if isinstance(kind, list) else set()


def _story(obj: dict[str, Any]) -> tuple[str | None, str | None] | None:
    """(url, title) when an object is a story: a title and a body of elements."""
    if not any(key in obj for key in _BODY_KEYS):
        return None
    title = None
    for key in _TITLE_KEYS:
        value = obj.get(key)
        if isinstance(value, dict):
            value = value.get("basic") or value.get("main") or next(iter(value.values()), None)
        if isinstance(value, str) and value.strip():
            title = value.strip()
            break
    if title is None:
        return None
    url = next((obj[key].strip() for key in _STORY_URL_KEYS if isinstance(obj.get(key), str) and obj[key].strip()),
               None)
    return url, title


def embeds_in_json(obj: Any) -> Iterator[JsonEmbed]:
    """Every tweet embed object in parsed page data, in document order, with its path.

    An embed object is one whose type, provider, block name or typename names twitter/tweet/x (Arc ANS
    ``oembed_response`` with ``subtype: twitter``, a Gutenberg ``core/embed`` with ``providerNameSlug:
    twitter``, a CMS ``{"type": "tweet", "id": ...}``), or an untyped object with a status URL and a
    tweet's fields (Substack ``data-attrs``, an oEmbed response); it yields the id, status URL, embed
    HTML, author, text and time it holds, and a quoted tweet inside it. A string holding JSON is walked too.

    >>> [e.id for e in embeds_in_json({"content_elements": [{"type": "oembed_response", "subtype": "twitter",
    ...     "raw_oembed": {"url": "https://twitter.com/a/status/1234567890123"}}]})]
    ['1234567890123']
    """
    yield from _walk(obj, (), None, 0)


def page_data(obj: Any, *, skip_teasers: bool = False) -> Iterator[JsonEmbed]:
    """What ``embeds_in_json`` finds, and every other string holding embed markup (a CMS body's HTML, an
    escaped blockquote of any network) as a ``JsonEmbed`` of ``kind="markup"`` whose ``html`` is the string:
    all in document order, each with its path and story. With ``skip_teasers``, containers of other stories
    (``teaser_path``) are not entered.

    >>> [(e.kind, e.path) for e in page_data({"body": {"html": "<p>Hi</p><blockquote class=x>…</blockquote>"}})]
    [('markup', ('body', 'html'))]
    """
    yield from _walk(obj, (), None, 0, markup=True, skip_teasers=skip_teasers)


# Embed markup in a string: a blockquote opener raw, escaped or percent-encoded (all spell the word), or base64
# ("<blockquote" encoded from a string's start).
_BASE64_BLOCKQUOTE = "PGJsb2NrcXVvdGU"


def holds_markup(text: str) -> bool:
    """Whether a text may hold a blockquote as markup: raw, escaped, percent-encoded or base64.

    >>> holds_markup('{"html": "\\u003cblockquote class=\\"twitter-tweet\\"\\u003e"}'), holds_markup("no")
    (True, False)
    """
    return "blockquote" in text or "BLOCKQUOTE" in text or _BASE64_BLOCKQUOTE in text


_Story = tuple[tuple[str | int, ...], str | None, str | None]
_JSON_OPENERS = ("{", "[")


def _walk(obj: Any, path: tuple[str | int, ...], story: _Story | None, depth: int, *,
          markup: bool = False, skip_teasers: bool = False) -> Iterator[JsonEmbed]:
    """The embeds (and with ``markup``, the markup strings) under ``obj``, in document order."""
    found: list[JsonEmbed] = []
    _visit(obj, path, story, depth, markup, found, _teaser_key if skip_teasers else None)
    yield from found


def _visit(value: Any, path: tuple[str | int, ...], story: _Story | None, depth: int, markup: bool,
           found: list[JsonEmbed], skip: Callable[[str | int], bool] | None = None) -> None:
    """Walk a container (or a string holding one): strings are looked at in their container's loop, and a path
    is built only for what is entered or found; an object is asked whether it is an embed only when it has a
    key that could say so. Recursion is bounded by ``MAX_JSON_DEPTH``."""
    if depth > MAX_JSON_DEPTH:
        return
    kind = type(value)
    if kind is str:
        inner = _nested_json(value)
        if inner is not None:
            _visit(inner, path, story, depth + 1, markup, found, skip)
        elif markup and holds_markup(value):
            found.append(JsonEmbed(path=path, html=value, kind="markup", story_path=story[0] if story else None,
                                   story_url=story[1] if story else None, story_title=story[2] if story else None))
        return
    if kind is dict:
        if not _BODY_KEYS.isdisjoint(value):
            own_story = _story(value)
            if own_story is not None:
                story = (path, *own_story)
        if not _SIGNAL_KEYS.isdisjoint(value):
            embed = _embed(value, path, story)
            if embed is not None:
                found.append(embed)
                return  # its details and quoted tweet are read with it
        items: Iterable[tuple[str | int, Any]] = value.items()
    elif kind is list:
        items = enumerate(value)
    else:
        return
    for key, item in items:
        item_kind = type(item)
        if item_kind is str:
            # Most values are plain strings: looked at here (holds_markup written out: this loop is the walk's
            # cost), entered only when they hold JSON or markup.
            if item.startswith(_JSON_OPENERS) or (item[:1].isspace() and item.lstrip().startswith(_JSON_OPENERS)) or (
                    markup and ("blockquote" in item or "BLOCKQUOTE" in item or _BASE64_BLOCKQUOTE in item)):
                _visit(item, (*path, key), story, depth + 1, markup, found, skip)
        elif (item_kind is dict or item_kind is list) and not (skip is not None and kind is dict and skip(key)):
            _visit(item, (*path, key), story, depth + 1, markup, found, skip)


def _nested_json(text: str) -> Any:
    """The object or list a string holds as JSON (double-encoded state), else None."""
    first = text[:1]
    if not (first == "{" or first == "[" or (first.isspace() and text.lstrip()[:1] in ("{", "["))):
        return None
    stripped = text.strip()
    if stripped[-1:] not in ("}", "]") or len(stripped) > MAX_NESTED_JSON_CHARS:
        return None
    inner = _loads(stripped)
    return inner if isinstance(inner, (dict, list)) else None


def _embed(obj: dict[str, Any], path: tuple[str | int, ...], story: _Story | None) -> JsonEmbed | None:
    kind = _kind_of(obj) or next((_kind_of(part) for part in _details(obj, _KIND_DETAIL_KEYS)
                                  if part is not obj and _kind_of(part)), "")
    if not kind and not _tweetish(obj):
        return None
    status_id, url, markup = _status_of(obj, kind)
    if status_id is None and url is None and markup is None:
        return None
    if not kind and url is None:
        return None  # an untyped object counts only through its status URL
    handle, name = _person(obj)
    if handle is None and url is not None:
        ref = status_in_value(url)
        handle = ref.handle if ref is not None else None
    text = _first(obj, _TEXT_KEYS) if _tweetish(obj) or kind else None
    quoted = None
    for key in _QUOTE_KEYS:
        value = obj.get(key)
        if isinstance(value, dict):
            quoted = _embed(value, (*path, key), story) or _embed({**value, "type": "tweet"}, (*path, key), story) \
                or _unlinked_quote(value, (*path, key))
            if quoted is not None:
                break
    return JsonEmbed(path=path, id=status_id, url=url, handle=handle, name=plain_text(name) or None if name else None,
                     text=plain_text(text) if text else None, html=markup,
                     created_at=_first(obj, _TIME_KEYS), quoted=quoted,
                     story_path=story[0] if story else None, story_url=story[1] if story else None,
                     story_title=story[2] if story else None, kind=kind)


def _unlinked_quote(obj: dict[str, Any], path: tuple[str | int, ...]) -> JsonEmbed | None:
    """A quoted tweet stored without its id or URL (Substack keeps only its author and text)."""
    handle, name = _person(obj)
    text = _first(obj, _TEXT_KEYS)
    if handle is None or not text:
        return None
    return JsonEmbed(path=path, handle=handle, name=plain_text(name) or None if name else None, text=plain_text(text),
                     created_at=_first(obj, _TIME_KEYS))


@lru_cache(maxsize=4096)
def _teaser_key(key: str | int) -> bool:
    """Whether one key names a container of other stories (page data repeats its keys many times)."""
    return teaser_path((key,))


def teaser_path(path: Iterable[str | int]) -> bool:
    """Whether a path in page data goes through a container of other stories (related, recommended,
    feed, rail, "more", "latest", teasers, promos): an embed there belongs to another story.

    >>> teaser_path(("props", "pageProps", "relatedStories", 3, "content_elements", 2))
    True
    >>> teaser_path(("props", "pageProps", "story", "content_elements", 2))
    False
    """
    for key in path:
        if isinstance(key, str) and "/" not in key and "." not in key and any(map(_names_teasers, words(key))):
            return True  # (a key holding a URL or a file name names a thing, not a container)
    return False


# Stems shorter than this name a container only as a whole word ("next", "more", "feeds"); longer ones as a
# word's start too ("related", "recommendations", "homepages"). "context" holds "next", "thread" "read".
MIN_PREFIX_STEM = 5


def _names_teasers(word: str) -> bool:
    return any(word.startswith(stem) if len(stem) >= MIN_PREFIX_STEM else word in (stem, stem + "s")
               for stem in _TEASER_STEMS)


# JSON assigned in a script: "x = {", "x = [", "JSON.parse('…')" after an assignment, or the whole text.
_ASSIGNMENT = re.compile(r"=\s{0,20}+(?:JSON\.parse\(\s{0,20}+)?([\[{\"'])")
# How JSON's objects and arrays start: a quoted key or the end; a value or the end.
_JSON_START = re.compile(r"\{\s{0,200}+[\"}]|\[\s{0,200}+[\"\d\-\[{\]tfn]")
# Most assignments a script is tried at: app state is one or a few per script.
MAX_ASSIGNMENTS = 32


def json_in_script(text: str) -> Iterator[Any]:
    """The JSON documents a script holds: its whole text (``application/json``, ``ld+json``,
    ``__NEXT_DATA__``), and each value assigned in it (``window.__APOLLO_STATE__ = {…};``,
    ``Fusion.globalContent={…}``, ``= JSON.parse("…")`` with the string decoded once more).

    >>> [d["a"] for d in json_in_script('window.__STATE__ = {"a": 1}; var x = 2;')]
    [1]
    """
    for _, _, value in json_documents(text):
        yield value


def json_documents(text: str) -> Iterator[tuple[int, int, Any]]:
    """``json_in_script``'s documents with the span of the script text each was read from.

    >>> [(start, end) for start, end, _ in json_documents('a = {"b": 1}; c = 2')]
    [(4, 12)]
    """
    stripped = text.strip()
    whole = _loads(stripped) if stripped[:1] in "{[" else None
    if whole is not None:
        yield 0, len(text), whole
        return
    decoder = json.JSONDecoder()
    for tried, m in enumerate(_ASSIGNMENT.finditer(text)):
        if tried >= MAX_ASSIGNMENTS:
            return
        start = m.start(1)
        quote = text[start]
        end = start
        if quote in "\"'":
            literal, end = _js_string(text, start)
            value = _loads(literal) if literal and literal.lstrip()[:1] in "{[" else None
        elif not _JSON_START.match(text, start):
            continue  # a JavaScript object with bare keys, not JSON: a failed decode would count lines to say so
        else:
            try:
                value, end = decoder.raw_decode(text, start)
            except (ValueError, RecursionError):
                value = None
        if isinstance(value, (dict, list)):
            yield start, end, value


# What ends or escapes a JS string literal's run of plain characters, per quote.
_STRING_STOPS = {quote: re.compile(rf"[{quote}\\\\\n]") for quote in "\"'"}


def _js_string(text: str, start: int) -> tuple[str | None, int]:
    """The decoded body of a quoted JS string literal starting at ``start``, and where it ends: the scan
    jumps from one quote, backslash or line break to the next."""
    quote = text[start]
    stops = _STRING_STOPS[quote]
    at = start + 1
    while True:
        m = stops.search(text, at)
        if m is None or m.group() == "\n":
            return None, start
        if m.group() == "\\":
            at = m.end() + 1
            continue
        break
    body = text[start + 1:m.start()]
    if quote == "'":
        body = body.replace("\\'", "'").replace('"', '\\"')
    decoded = _loads('"' + body + '"')
    return (decoded if isinstance(decoded, str) else None), m.end()


# ---------------------------------------------------------------------------------------------------------
# Markup held as text: escaped, percent-encoded or base64 embed HTML, and what a reader sees of it.
# ---------------------------------------------------------------------------------------------------------

_JSON_ESCAPED_LT = re.compile(r"\\u003c|\\x3c", re.IGNORECASE)
# A base64 run that decodes to markup starting with "<": its first letters are "PG" or "PH" ("<a".."<z").
_BASE64_RUN = re.compile(r"P[GH][A-Za-z0-9+/]{18,200000}+={0,2}")
# Base64 of a string starting "<blockquote": how consent tools park a blocked embed.
_BASE64_BLOCKQUOTE_RUN = re.compile(r"PGJsb2NrcXVvdGU[A-Za-z0-9+/]{0,200000}+={0,2}")
_PERCENT_OPENER = re.compile(r"%3Cblockquote", re.IGNORECASE)
_PERCENT_CLOSER = re.compile(r"%3C%2Fblockquote%3E", re.IGNORECASE)
# Longest encoded embed read: a tweet embed with its attribution is a few kB even when every byte is escaped.
MAX_ENCODED_CHARS = 60_000
_MARKUP_START = re.compile(r"\s{0,40}+<[a-zA-Z!/]")


def unwrap_markup(value: str) -> str | None:
    """Markup a string holds in one of the escapings pages use, decoded; None when it holds no markup.

    Raw markup, entity-escaped (``&lt;blockquote``), JSON/JS-escaped (``\\u003cblockquote``, ``\\x3c``),
    percent-encoded (``%3Cblockquote``) and base64 (Borlabs Cookie parks blocked embeds so).

    >>> unwrap_markup("JTNDYmxvY2txdW90ZSUzRQ==") is None
    True
    >>> unwrap_markup("PGJsb2NrcXVvdGUgY2xhc3M9InR3aXR0ZXItdHdlZXQiPjwvYmxvY2txdW90ZT4=")
    '<blockquote class="twitter-tweet"></blockquote>'
    """
    text = value.strip()
    for _ in range(3):  # escapings stack (an entity-escaped JSON string): undo at most three layers
        if _MARKUP_START.match(text):
            return text
        lowered = text[:12].lower()
        if lowered.startswith(("&lt;", "&amp;lt;")):
            text = html.unescape(text)
        elif _JSON_ESCAPED_LT.match(text):
            text = _unescape_js(text)
        elif lowered.startswith("%3c"):
            text = unquote(text)
        elif text.startswith(("PG", "PH")) and _BASE64_RUN.fullmatch(text):
            try:
                text = base64.b64decode(text, validate=True).decode("utf-8")
            except (binascii.Error, UnicodeDecodeError, ValueError):
                return None
        else:
            return None
    return text if _MARKUP_START.match(text) else None


_JS_ESCAPE = re.compile(r"\\(?:u([0-9a-fA-F]{4})|x([0-9a-fA-F]{2})|(.))", re.DOTALL)
_SIMPLE_ESCAPES = {"n": "\n", "t": "\t", "r": "", "b": "", "f": "", "v": ""}


def _unescape_js(text: str) -> str:
    """A JSON or JS string body with its escapes undone one by one (a quote left unescaped, as JS allows,
    would stop ``json.loads``); surrogate pairs written as two escapes become one character."""
    def one(m: re.Match[str]) -> str:
        if m.group(1) or m.group(2):
            return chr(int(m.group(1) or m.group(2), 16))
        return _SIMPLE_ESCAPES.get(m.group(3), m.group(3))

    decoded = _JS_ESCAPE.sub(one, text)
    return decoded.encode("utf-16", "surrogatepass").decode("utf-16", "replace")


def encoded_fragments(text: str) -> Iterator[str]:
    """Embed blockquotes (of any network) hidden in script or attribute text by percent-encoding or base64 (the
    JSON- and entity-escaped forms are the hidden-copies extractor's), decoded."""
    for m in _PERCENT_OPENER.finditer(text):
        close = _PERCENT_CLOSER.search(text, m.end(), m.start() + MAX_ENCODED_CHARS)
        if close is not None:
            yield unquote(text[m.start():close.end()])
    for m in _BASE64_BLOCKQUOTE_RUN.finditer(text):
        markup = unwrap_markup(m.group())
        if markup is not None:
            yield markup


_SCRIPT_LIKE = ("script", "style", "template", "noscript")


def plain_text(markup: str) -> str:
    """What a reader sees of HTML held as text (an attribute, a JSON string, escaped markup): tags gone,
    entities decoded, ``<br>`` as a newline, paragraphs apart, links as their visible text.

    >>> plain_text('Snow &amp; ice<br>in <a href="https://t.co/x">#Oslo</a> today')
    'Snow & ice\\nin #Oslo today'
    >>> plain_text("I \u2764 this <3 and 2 < 3")
    'I \u2764 this <3 and 2 < 3'
    """
    if not markup:
        return ""
    unwrapped = unwrap_markup(markup)
    if unwrapped is None:
        if "<" not in markup or not re.search(r"<(?:[a-zA-Z][\w:-]{0,40}+|/[a-zA-Z])", markup):
            return clean_text(html.unescape(markup))  # no tags: entities are all there is to undo
        unwrapped = markup
    try:
        fragment = lxml_html.fragment_fromstring(unwrapped, create_parent="div")
    except (etree.ParserError, ValueError):
        return clean_text(html.unescape(markup))
    return element_text(fragment)


# ---------------------------------------------------------------------------------------------------------
# Cards: a tweet shown as static markup (Substack, Ghost, Medium, a publisher's own card, widgets.js output).
# ---------------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CardFields:
    """What a card shows: the status, author, body, shown date (and exact ``datetime`` when a ``<time>``
    gives one), and the tweet it quotes, read from the card's structure."""

    id: str | None
    handle: str | None = None
    name: str | None = None
    text: str = ""
    date_text: str | None = None
    datetime: str | None = None
    quoted: CardFields | None = None


_HANDLE_TEXT = re.compile(r"@([A-Za-z0-9_]{1,15})")
# Marks that sit between a display name and a handle: verified badges, separators, direction marks.
_NAME_NOISE = re.compile(r"[\u2713\u2714\u2705\u00b7\u2022|\u200e\u200f\u202a-\u202e]+")
_DIRECTION_MARKS = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_VERIFIED_WORDS = ("verified account", "verified", "verifiziert", "vérifié", "verificado", "verificato")
# Twitter display names are at most 50 characters; a longer run before the handle is prose, not a name.
MAX_NAME_CHARS = 50
# How far up from the handle element the display name is looked for (handle -> names -> header).
NAME_MAX_LEVELS = 3
# A card shows one tweet and perhaps the one it quotes: more distinct statuses make it a list or feed.
MAX_CARD_STATUSES = 2
_BLOCK_TAGS = frozenset({"p", "div", "section", "blockquote", "article", "span", "main", "figure", "li"})


def _status_links(element: Any) -> list[tuple[Any, StatusRef]]:
    out = []
    for anchor in element.iter("a"):
        href = anchor.get("href") or ""
        if "/status" not in href and "%2fstatus" not in href.lower():
            continue
        ref = status_in_value(href, embed_page=False)
        if ref is not None:
            out.append((anchor, ref))
    return out


def _inside(element: Any, ancestor: Any) -> bool:
    while element is not None:
        if element is ancestor:
            return True
        element = element.getparent()
    return False


def _common_ancestor(elements: list[Any], stop: Any) -> Any:
    """The nearest element holding all of ``elements`` (``stop`` at most)."""
    chain = []
    node = elements[0]
    while node is not None:
        chain.append(node)
        if node is stop:
            break
        node = node.getparent()
    for node in chain:
        if all(_inside(e, node) for e in elements):
            return node
    return stop


def _handle_element(card: Any, skip: Any) -> tuple[Any, str] | None:
    """The first element (or text node's element) outside ``skip`` whose whole text is one ``@handle``:
    the header's screen name. A mention in the body is a link inside running text, not alone on a line."""
    holders = _at_sign_holders(card)
    if not holders:
        return None
    for node in card.iter():
        if node not in holders or not isinstance(node.tag, str) or (skip is not None and _inside(node, skip)):
            continue
        if node.tag.lower() in _SCRIPT_LIKE:
            continue
        text = _DIRECTION_MARKS.sub("", element_text(node)).strip() if len(node) <= 3 else ""
        m = _HANDLE_TEXT.fullmatch(text) if text else None
        if m and not (node.tag == "a" and node.getparent() is not None and in_running_text(node)):
            return node, m.group(1)
        tail = _DIRECTION_MARKS.sub("", node.tail or "").strip()
        m = _HANDLE_TEXT.fullmatch(tail) if tail else None
        if m and node.getparent() is not None and not (skip is not None and _inside(node.getparent(), skip)):
            return node, m.group(1)  # "<p>Name</p>@handle": the handle is the name element's tail
    return None


_AT_SIGN_TEXTS = etree.XPath("descendant-or-self::*/text()[contains(., '@') or contains(., '\uff20')]")


def _at_sign_holders(card: Any) -> set[Any]:
    """The elements whose text (or tail) could be an ``@handle``: those holding a text with an "@" sign, up to
    the card (only they need reading)."""
    holders: set[Any] = set()
    for text in _AT_SIGN_TEXTS(card):
        node = text.getparent()
        if node is None:
            continue
        if text.is_tail:
            holders.add(node)
            node = node.getparent()
        while node is not None and node not in holders:
            holders.add(node)
            if node is card:
                break
            node = node.getparent()
    return holders


def handle_element(element: Any) -> tuple[Any, str] | None:
    """The first element inside ``element`` showing one ``@handle`` alone (or as the tail of the element
    before it), with the handle: a card's header. A mention inside running text is not one.

    >>> handle_element(lxml_html.fromstring("<div><b>Port</b> <span>@PortHbr</span><p>Hi @you</p></div>"))[1]
    'PortHbr'
    """
    return _handle_element(element, None)


def in_running_text(anchor: Any) -> bool:
    """A link with words around it in its parent: a mention in the body."""
    parent = anchor.getparent()
    before = (parent.text or "").strip() if parent is not None and parent[0] is anchor else ""
    previous = anchor.getprevious()
    if previous is not None:
        before = (previous.tail or "").strip()
    after = (anchor.tail or "").strip()
    return bool(before and before[-1:].isalnum()) or bool(after and after[:1].isalnum())


def _display_name(card: Any, handle_node: Any, handle_in_tail: bool) -> tuple[str | None, Any]:
    """(display name, header element): the text just before the handle within the nearest ancestor that
    shows one (up to ``NAME_MAX_LEVELS`` up), and that ancestor, which the body is never looked for in."""
    if handle_in_tail:  # "<p>Name</p>@handle": the name is the element whose tail holds the handle
        parent = handle_node.getparent()
        return _clean_name(element_text(handle_node)), parent if parent is not None else handle_node
    node = handle_node
    for _ in range(NAME_MAX_LEVELS):
        parent = node.getparent()
        if parent is None or not _inside(parent, card):
            return None, node
        before = element_text(parent, stop=handle_node)
        name = _clean_name(before.splitlines()[-1] if before.strip() else "")
        if name or parent is card:
            return name, parent
        node = parent
    return None, node


def _clean_name(text: str) -> str | None:
    text = _NAME_NOISE.sub(" ", text)
    lowered = text.lower()
    for word in _VERIFIED_WORDS:
        at = lowered.rfind(word)
        if at >= 0 and at + len(word) >= len(lowered.rstrip()) - 1:
            text = text[:at]
            lowered = lowered[:at]
    text = " ".join(text.split()).strip(" -–—:")
    return text if 0 < len(text) <= MAX_NAME_CHARS else None


def _time_of(card: Any, skip: Any, anchors: list[tuple[Any, StatusRef]]) -> tuple[str | None, str | None]:
    """(shown date text, datetime attribute) of the card's own ``<time>``, else its permalink's text."""
    for node in card.iter("time"):
        if skip is not None and _inside(node, skip):
            continue
        shown = element_text(node) or None
        return shown, (node.get("datetime") or "").strip() or None
    for anchor, _ in reversed(anchors):
        for node in anchor.iter():  # the permalink itself, or the part of it that shows a date
            shown = element_text(node) if isinstance(node.tag, str) else ""
            if shown and (parse_shown_date(shown) is not None or parse_relative(shown) is not None):
                return shown, anchor.get("data-datetime")
    return None, None


def _quote_box(card: Any, main_id: str, anchors: list[tuple[Any, StatusRef]]) -> Any | None:
    """The element holding the quoted tweet: the nearest one around the other status's links that holds
    none of the main status's links and shows a handle of its own."""
    other = [a for a, ref in anchors if ref.id != main_id]
    if not other:
        return None
    box = _common_ancestor(other, card)
    main_links = [a for a, ref in anchors if ref.id == main_id]
    while box is not card and box is not None:
        parent = box.getparent()
        if parent is None or any(_inside(a, parent) for a in main_links) or parent is card:
            break
        box = parent
    if box is card or any(_inside(a, box) for a in main_links):
        return None
    return box if _handle_element(box, None) is not None else None


# Attributes that name a card's body for machines (schema.org, microformats) or its language (Twitter's <p lang>).
_BODY_MARKS = ("articlebody", "text", "e-entry", "description")


def _text_block(card: Any, avoid: list[Any], quote: Any | None, name: str | None = None) -> Any | None:
    """The card's body: the largest block holding none of the header, time, permalinks or quote box; a
    block that says it is the text (``lang``, ``itemprop="articleBody"``, ``e-entry-*``) is preferred."""
    best: Any = None
    best_size = 0
    marked: Any = None
    marked_size = 0
    for node in card.iter():
        if node is card or not isinstance(node.tag, str) or node.tag.lower() not in _BLOCK_TAGS:
            continue
        if quote is not None and _inside(node, quote):
            continue
        if any(_inside(item, node) or _inside(node, item) for item in avoid):
            continue
        shown = _text_without(node, quote)
        if name is not None and shown == name:
            continue  # the display name in a flat header
        if "@" in shown and _handle_element(node, quote) is not None:
            continue  # a block showing a handle of its own is a header or a quoted tweet's box, not the body
        if _actions_only(node, shown):
            continue
        size = len(shown)
        if size > best_size:
            best, best_size = node, size
        says_body = node.get("lang") is not None or any(
            mark in (node.get("itemprop") or "").lower() or mark in (node.get("class") or "").lower()
            for mark in _BODY_MARKS[:1] + _BODY_MARKS[2:]) or (node.get("itemprop") or "").lower() == "text"
        if says_body and size > marked_size:
            marked, marked_size = node, size
    return marked if marked is not None else best


# What a link in a tweet's text shows: an entity ("#tag", "@name", "$TAG") or a URL ("t.co/x", "example.com").
_ENTITY_SIGNS = "#@$\uff03\uff20"


def _shows_entity_or_url(text: str) -> bool:
    text = text.strip()
    return bool(text) and (text[0] in _ENTITY_SIGNS or "." in text or "/" in text)


def _actions_only(block: Any, shown: str) -> bool:
    """Whether a block shows only links that are no part of a tweet's text ("Reply", "Retweet", "Report"):
    every word of it sits in a link, and no link shows an entity or a URL."""
    linked = [element_text(a) for a in block.iter("a")]
    if not linked or any(_shows_entity_or_url(text) for text in linked):
        return False
    return len("".join(shown.split())) == sum(len("".join(text.split())) for text in linked)


def _text_without(element: Any, skip: Any | None) -> str:
    """An element's text as a reader sees it, without the subtree ``skip`` (a quoted tweet's box)."""
    return element_text(element, skip=(lambda e: e is skip) if skip is not None else None)


def _quote_without_id(card: Any, handle_node: Any, handle: str | None, avoid: list[Any], body: Any) -> CardFields | None:
    """A quoted tweet shown without a link of its own: a box after the main header, outside the body and the
    permalinks, that shows another ``@handle`` alone, a name before it and a text of its own."""
    for node in card.iter():
        if node is card or not isinstance(node.tag, str) or _inside(node, body) or _inside(body, node):
            continue
        if _inside(handle_node, node) or any(_inside(item, node) for item in avoid):
            continue
        found = _handle_element(node, None)
        if found is None or found[1] == handle or found[0] is node:
            continue
        inner_node, inner_handle = found
        in_tail = not _HANDLE_TEXT.fullmatch(_DIRECTION_MARKS.sub("", element_text(inner_node)).strip() or "-")
        name, header = _display_name(node, inner_node, in_tail)
        text_block = _text_block(node, [header if header is not node else inner_node], None, name)
        text = _text_without(text_block, None) if text_block is not None else ""
        if text:
            return CardFields(id=None, handle=inner_handle, name=name, text=text)
    return None


def card_fields(element: Any) -> CardFields | None:
    """Read a tweet card from its structure, whatever its class names: the status from its permalinks
    (all of one id, or one id and a quoted tweet's), the handle from the element showing ``@handle``
    alone, the display name just before it, the date from its ``<time>`` (or the permalink's text), the
    body from the largest block holding none of those, and a quoted tweet from the box around the other
    status's links. None when the element links no status or more than a card shows (a list, a feed).

    >>> card = lxml_html.fromstring('<div><span>Port Harbour</span> <span>@PortHbr</span><p>Ferries cancelled'
    ...     '</p><a href="https://x.com/PortHbr/status/1633054123456789504"><time datetime="2023-03-07T10:36:58Z">'
    ...     'Mar 7, 2023</time></a></div>')
    >>> fields = card_fields(card)
    >>> (fields.id, fields.handle, fields.name, fields.text, fields.date_text)
    ('1633054123456789504', 'PortHbr', 'Port Harbour', 'Ferries cancelled', 'Mar 7, 2023')
    """
    anchors = _status_links(element)
    ids = list(dict.fromkeys(ref.id for _, ref in anchors))
    if not ids or len(ids) > MAX_CARD_STATUSES:
        return None
    main_id = ids[0]
    quote = None
    if len(ids) == 2:
        # The main tweet's permalinks surround the quote box (header or footer); try each id as the main one.
        for candidate in (ids[0], ids[1]):
            box = _quote_box(element, candidate, anchors)
            if box is not None:
                main_id, quote = candidate, box
                break
        if quote is None:
            # Two statuses and no quote box: a link to another status inside the text is kept as text;
            # the card's permalink is the last status link (the date), as in Twitter's own markup.
            main_id = anchors[-1][1].id
    return _fields(element, main_id, quote, anchors)


def _fields(card: Any, main_id: str, quote: Any | None, anchors: list[tuple[Any, StatusRef]]) -> CardFields:
    own = [(a, ref) for a, ref in anchors if quote is None or not _inside(a, quote)]
    found = _handle_element(card, quote)
    handle = name = None
    permalinks = [a for a, ref in own if ref.id == main_id]
    avoid: list[Any] = list(permalinks)
    if found is not None:
        node, handle = found
        in_tail = not _HANDLE_TEXT.fullmatch(_DIRECTION_MARKS.sub("", element_text(node)).strip() or "-")
        name, header = _display_name(card, node, in_tail)
        avoid.append(header if header is not card else node)
    handle = handle or next((ref.handle for _, ref in own if ref.id == main_id and ref.handle), None)
    shown, exact = _time_of(card, quote, own)
    avoid.extend(node for node in card.iter("time") if quote is None or not _inside(node, quote))
    body = _text_block(card, avoid, quote, name)
    if body is None and found is not None and any(_inside(found[0], link) for link in permalinks):
        # A permalink wrapping the whole tweet, header and all (a quoted tweet's box is often one link): the
        # body is inside it.
        body = _text_block(card, avoid[len(permalinks):], quote, name)
    text = _text_without(body, quote) if body is not None else ""
    quoted = None
    if quote is not None:
        inner = [(a, ref) for a, ref in anchors if _inside(a, quote)]
        if inner:
            quoted = _fields(quote, inner[-1][1].id, None, inner)
    elif found is not None and body is not None:
        quoted = _quote_without_id(card, found[0], handle, avoid, body)
    return CardFields(id=main_id, handle=handle, name=name, text=text, date_text=shown, datetime=exact,
                      quoted=quoted)
