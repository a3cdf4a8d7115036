"""Post URLs of every social network tweetparse reads: which post a URL names, and the time inside its id."""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from html import unescape
from typing import NamedTuple
from urllib.parse import parse_qs, unquote, urlsplit

from . import urls as twitter

__all__ = [
    "PLATFORMS",
    "PostRef",
    "find_post_urls",
    "parse_post_url",
    "post_time",
    "post_url",
]

# Every platform name a record may carry; a fork that presents itself as its own network has its own name.
PLATFORMS = ("twitter", "bluesky", "mastodon", "truthsocial", "threads", "instagram", "facebook", "tiktok", "reddit")


class PostRef(NamedTuple):
    """The post a URL names.

    ``id`` is written as the platform writes it (Bluesky: the at-URI when the URL gives the DID, else the
    record key; Mastodon: the status id on the URL's server; Instagram and Threads: the shortcode; TikTok:
    the video id; Facebook: the post or photo id; Reddit: the base-36 id). It is None for a short link
    (``vm.tiktok.com/…``) that names a post without its id. ``url`` is the canonical post URL.
    """

    platform: str
    id: str | None
    handle: str | None
    url: str


# ---------------------------------------------------------------------------------------------------
# The table of URL forms

_USER_IG = r"[A-Za-z0-9._]{1,30}"  # Instagram and Threads usernames: letters, digits, "." and "_", at most 30
_SHORTCODE = r"[A-Za-z0-9_-]{5,64}"  # Instagram media shortcodes: base-64 digits over A-Za-z0-9-_
_MASTO_USER = r"[A-Za-z0-9_]++(?:[.-]++[A-Za-z0-9_]++)*+"  # Mastodon's USERNAME_RE (app/models/account.rb)
# Possessive, and only where a run of host characters begins: patterns stay linear when searched.
_DOMAIN = r"(?<![A-Za-z0-9.-])[A-Za-z0-9-]++(?:\.[A-Za-z0-9-]++)++"
_DID = r"did:(?:plc:[a-z2-7]{24}|web:[A-Za-z0-9.%:-]++)"
_RKEY = r"[A-Za-z0-9._:~-]{1,512}"  # the atproto record-key grammar (specs/record-key)
# A status id a bare /@user/<id> path must have: a snowflake (17-19 digits, any time since 2008). The
# sequential ids of 2016-17 are accepted only in the unambiguous /embed, /web/ and /users/ forms, since
# other sites use /@user/<number> too.
_SNOWFLAKE = r"\d{17,19}"
# TikTok's secUid stands in for the username in some URLs; it is an opaque key, not a handle.
TIKTOK_SECUID_PREFIX = "MS4wLjABAAAA"
# Path segments that are never a Facebook page or user name.
_FB_RESERVED = frozenset({"groups", "watch", "photo", "photos", "video", "videos", "plugins", "sharer", "share",
                          "story.php", "permalink.php", "photo.php", "events", "pages", "profile.php", "reel"})


@dataclass(frozen=True)
class _Form:
    """One URL form of one platform: a host pattern, a pattern over the path, how to write the canonical
    URL from the named groups, which group is the handle, and the query parameter holding the id if any."""

    platform: str
    host: re.Pattern[str]
    path: re.Pattern[str]
    canonical: str  # str.format template over the named groups (plus "host")
    handle: Callable[[dict[str, str]], str | None] = lambda g: g.get("user")
    param: str | None = None  # the id is this query parameter's value (Facebook's *.php forms)


def _host(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


def _path(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern + "/?")  # matched against the whole path, which may end with a slash


def _masto_handle(g: dict[str, str]) -> str | None:
    if not g.get("user"):
        return None
    return g["user"] if "@" in g["user"] else f"{g['user']}@{g['host']}"


def _fb_handle(g: dict[str, str]) -> str | None:
    user = g.get("user")
    return None if not user or user.isdigit() or user.lower() in _FB_RESERVED else user


def _tiktok_handle(g: dict[str, str]) -> str | None:
    user = g.get("user")
    return None if not user or user.startswith(TIKTOK_SECUID_PREFIX) else user


_BSKY = _host(r"(?:www\.|staging\.)?bsky\.app")
_THREADS = _host(r"(?:www\.)?threads\.(?:net|com)")
_INSTAGRAM = _host(r"(?:www\.|m\.)?instagram\.com|instagr\.am")
_TIKTOK = _host(r"(?:www\.|m\.)?tiktok\.com")
_TIKTOK_SHORT = _host(r"v[mt]\.tiktok\.com")
_FACEBOOK = _host(r"(?:www\.|m\.|mbasic\.|web\.|business\.)?facebook\.com|fb\.com")
_REDDIT = _host(r"(?:www\.|old\.|new\.|np\.|m\.|sh\.|embed\.)?reddit\.com|(?:www\.)?redditmedia\.com")
_ANY = _host(_DOMAIN)

_IG_KIND = {"p": "p", "tv": "tv", "reel": "reel", "reels": "reel"}
_FB_ID = r"\d{1,20}|pfbid0[A-Za-z0-9]{20,100}"  # numeric ids, and the opaque "pfbid0…" ids of 2022 on
_FB_POST = rf"(?P<id>{_FB_ID})"
_FB_ID_VALUE = re.compile(_FB_ID)

# Ordered: the first form that matches wins. Mastodon comes last and only for hosts no other row names,
# because it is recognised by path shape on any host.
_FORMS: tuple[_Form, ...] = (
    _Form("bluesky", _BSKY, _path(rf"/profile/(?P<actor>{_DID}|{_DOMAIN})/post/(?P<rkey>{_RKEY})"),
          "https://bsky.app/profile/{actor}/post/{rkey}"),  # id and handle: _bluesky()
    _Form("bluesky", _host(r"embed\.bsky\.app"),
          _path(rf"/embed/(?P<actor>{_DID})/app\.bsky\.feed\.post/(?P<rkey>{_RKEY})"),
          "https://bsky.app/profile/{actor}/post/{rkey}"),
    _Form("threads", _THREADS, _path(rf"/@(?P<user>{_USER_IG})/post/(?P<id>{_SHORTCODE})(?:/embed|/media)?"),
          "https://www.threads.com/@{user}/post/{id}"),
    _Form("threads", _THREADS, _path(rf"/t/(?P<id>{_SHORTCODE})"), "https://www.threads.com/t/{id}"),
    _Form("instagram", _INSTAGRAM,
          _path(rf"(?:/(?P<user>{_USER_IG}))?/(?P<kind>p|reels?|tv)/(?P<id>{_SHORTCODE})(?:/embed(?:/captioned)?)?"),
          "https://www.instagram.com/{kind}/{id}/"),
    _Form("tiktok", _TIKTOK, _path(r"/@(?P<user>[A-Za-z0-9._-]{1,100})/(?:video|photo)/(?P<id>\d{6,20})"),
          "https://www.tiktok.com/@{user}/video/{id}", _tiktok_handle),
    _Form("tiktok", _TIKTOK, _path(r"/(?:embed(?:/v2)?|player/v1|v)/(?P<id>\d{6,20})(?:\.html)?"),
          "https://www.tiktok.com/embed/v2/{id}"),
    _Form("tiktok", _TIKTOK_SHORT, _path(r"/(?P<code>[A-Za-z0-9]{5,16})"), "https://{host}/{code}/"),
    _Form("tiktok", _TIKTOK, _path(r"/t/(?P<code>[A-Za-z0-9]{5,16})"), "https://www.tiktok.com/t/{code}/"),
    _Form("facebook", _FACEBOOK, _path(r"/(?P<user>[A-Za-z0-9.\-]{1,80})/posts/(?:[^/]{1,200}/)?" + _FB_POST),
          "https://www.facebook.com/{user}/posts/{id}", _fb_handle),
    _Form("facebook", _FACEBOOK, _path(r"/groups/(?P<group>[A-Za-z0-9.\-]+)/(?:posts|permalink)/" + _FB_POST),
          "https://www.facebook.com/groups/{group}/posts/{id}", lambda g: None),
    _Form("facebook", _FACEBOOK,
          _path(r"/(?P<user>[A-Za-z0-9.\-]{1,80})/photos/(?:[^/]{1,200}/)?(?P<id>\d{1,20})"),
          "https://www.facebook.com/photo.php?fbid={id}", _fb_handle),
    _Form("facebook", _FACEBOOK, _path(r"/(?P<user>[A-Za-z0-9.\-]{1,80})/videos/(?:[^/]{1,200}/)?(?P<id>\d{1,20})"),
          "https://www.facebook.com/watch/?v={id}", _fb_handle),
    _Form("facebook", _FACEBOOK, _path(r"/(?:reel|watch/live)/(?P<id>\d{1,20})"),
          "https://www.facebook.com/watch/?v={id}"),
    _Form("facebook", _FACEBOOK, _path(r"/(?:watch|video\.php)"), "https://www.facebook.com/watch/?v={id}", param="v"),
    _Form("facebook", _FACEBOOK, _path(r"/photo(?:\.php)?"), "https://www.facebook.com/photo.php?fbid={id}", param="fbid"),
    _Form("facebook", _FACEBOOK, _path(r"/(?:permalink|story)\.php"),
          "https://www.facebook.com/permalink.php?story_fbid={id}", lambda g: None, param="story_fbid"),
    _Form("reddit", _REDDIT,
          _path(r"(?:/r/(?P<sub>\w{2,21})|/u(?:ser)?/(?P<user>[\w-]{3,20}))?/comments/(?P<post>[a-z0-9]{2,10})"
                r"(?:/(?:comment/|[^/]{0,300}/)(?P<comment>[a-z0-9]{2,10}))?(?:/[^/]{0,300})?"),
          "https://www.reddit.com/comments/{post}/"),
    _Form("reddit", _host(r"redd\.it"), _path(r"/(?P<post>[a-z0-9]{2,10})"), "https://www.reddit.com/comments/{post}/"),
    _Form("mastodon", _ANY, _path(rf"/@(?P<user>{_MASTO_USER}(?:@{_DOMAIN})?)/(?:posts/)?(?P<id>{_SNOWFLAKE})"),
          "https://{host}/@{user}/{id}", _masto_handle),
    _Form("mastodon", _ANY, _path(rf"(?:/web)?/@(?P<user>{_MASTO_USER}(?:@{_DOMAIN})?)/(?P<id>\d{{1,19}})/embed"),
          "https://{host}/@{user}/{id}", _masto_handle),
    _Form("mastodon", _ANY, _path(rf"/web/@(?P<user>{_MASTO_USER}(?:@{_DOMAIN})?)/(?P<id>\d{{1,19}})"),
          "https://{host}/@{user}/{id}", _masto_handle),
    _Form("mastodon", _ANY, _path(rf"/users/(?P<user>{_MASTO_USER})/statuses/(?P<id>\d{{1,19}})(?:/activity)?"),
          "https://{host}/@{user}/{id}", _masto_handle),
    _Form("mastodon", _ANY, _path(r"/web/statuses/(?P<id>\d{1,19})"), "https://{host}/web/statuses/{id}", lambda g: None),
)

# Hosts that belong to a row above other than Mastodon's: a Mastodon-shaped path there is not a status.
_OWN_HOSTS = tuple({form.host for form in _FORMS if form.platform != "mastodon"})
# Mastodon forks that present themselves as networks of their own, by server.
FORK_PLATFORMS = {"truthsocial.com": "truthsocial"}

# Embedding endpoints whose query parameter holds the post URL (Facebook's post and video plugins, the
# networks' oEmbed endpoints). Like, page and share plugins are not here: they name no embedded post.
_WRAPPERS: tuple[tuple[re.Pattern[str], re.Pattern[str], str], ...] = (
    (_FACEBOOK, re.compile(r"/(?:v[\d.]{1,9}/)?plugins/(?:post|video)\.php"), "href"),
    (_host(r"graph\.facebook\.com"), re.compile(r"/(?:v[\d.]{1,9}/)?(?:instagram_)?oembed(?:_post|_video)?"), "url"),
    (_host(r"graph\.threads\.net"), re.compile(r"/(?:v[\d.]{1,9}/)?oembed"), "url"),
    (_host(r"(?:api\.|www\.)?instagram\.com"), re.compile(r"/(?:api/v1/)?oembed/?"), "url"),
    (_host(r"embed\.bsky\.app"), re.compile(r"/oembed"), "url"),
    (_TIKTOK, re.compile(r"/oembed"), "url"),
    (_REDDIT, re.compile(r"/oembed"), "url"),
)

_AT_URI = re.compile(rf"at://(?P<actor>{_DID}|{_DOMAIN})/app\.bsky\.feed\.post/(?P<rkey>{_RKEY})/?")
_SCHEME = re.compile(r"(?:https?:)?//", re.IGNORECASE)
_MAX_UNWRAP = 2  # a wrapped URL wrapping another is rare; more is a loop, not a post


def parse_post_url(url: str) -> PostRef | None:
    """The post a URL names, on any platform, or None (profiles, share and follow links, plugins, assets).

    >>> parse_post_url("https://bsky.app/profile/did:plc:z72i7hdynmk6r22z27h6tvur/post/3lh5px6yngs26?ref_src=embed")
    PostRef(platform='bluesky', id='at://did:plc:z72i7hdynmk6r22z27h6tvur/app.bsky.feed.post/3lh5px6yngs26', \
handle=None, url='https://bsky.app/profile/did:plc:z72i7hdynmk6r22z27h6tvur/post/3lh5px6yngs26')
    >>> parse_post_url("https://mastodon.social/@Gargron/109265196813853475").handle
    'Gargron@mastodon.social'
    """
    return _parse(unescape(url.strip()), _MAX_UNWRAP)


def _parse(url: str, unwrap: int) -> PostRef | None:
    at = _AT_URI.fullmatch(url)
    if at:
        return _bluesky(at.group("actor"), at.group("rkey"))
    status = twitter.parse_status_url(url) if twitter.STATUS_URL.match(url) else None
    if status is not None:
        return PostRef("twitter", status.id, status.handle, twitter.canonical_url(status.handle, status.id))
    if not _SCHEME.match(url):
        return None
    parts = urlsplit(url if url.startswith("http") else "https:" + url)
    host = (parts.hostname or "").lower()
    path = unquote(parts.path) or "/"
    if unwrap:
        for wrapper_host, wrapper_path, param in _WRAPPERS:
            if wrapper_host.fullmatch(host) and wrapper_path.fullmatch(parts.path):
                inner = parse_qs(parts.query).get(param)
                return _parse(inner[0], unwrap - 1) if inner else None
    own_host = any(h.fullmatch(host) for h in _OWN_HOSTS)
    for form in _FORMS:
        if (form.platform == "mastodon" and own_host) or not form.host.fullmatch(host):
            continue
        m = form.path.fullmatch(path)
        if m is None:
            continue
        groups = {k: v for k, v in m.groupdict().items() if v is not None}
        if form.param:
            value = parse_qs(parts.query).get(form.param, [""])[0]
            if not _FB_ID_VALUE.fullmatch(value):
                continue
            groups["id"] = value
        return _ref(form, host, groups)
    return None


def _ref(form: _Form, host: str, groups: dict[str, str]) -> PostRef | None:
    groups["host"] = host
    if form.platform == "bluesky":
        return _bluesky(groups["actor"], groups["rkey"])
    if form.platform == "instagram":
        groups["kind"] = _IG_KIND[groups["kind"]]
    platform = FORK_PLATFORMS.get(host.removeprefix("www."), form.platform)
    handle = form.handle(groups)
    if platform != form.platform and handle:  # a fork with its own name writes handles without its server
        handle = handle.split("@")[0]
    if form.platform == "reddit":
        post_id = groups.get("comment") or groups["post"]
        sub = f"/r/{groups['sub']}" if "sub" in groups else ""
        tail = f"comment/{groups['comment']}/" if "comment" in groups else ""
        return PostRef("reddit", post_id, handle, f"https://www.reddit.com{sub}/comments/{groups['post']}/{tail}")
    return PostRef(platform, groups.get("id"), handle, form.canonical.format(**groups))


def _bluesky(actor: str, rkey: str) -> PostRef:
    is_did = actor.startswith("did:")
    post_id = f"at://{actor}/app.bsky.feed.post/{rkey}" if is_did else rkey
    return PostRef("bluesky", post_id, None if is_did else actor, f"https://bsky.app/profile/{actor}/post/{rkey}")


def post_url(platform: str, post_id: str | None, handle: str | None = None) -> str | None:
    """The canonical URL of a post known by its id (and handle, where the network's URLs need one), as
    ``parse_post_url`` writes it; None when the id and handle do not make one (a Mastodon id without its
    server, a Facebook id without its page).

    >>> post_url("instagram", "ByxilPNJK3M")
    'https://www.instagram.com/p/ByxilPNJK3M/'
    >>> post_url("mastodon", "109265196813853475", "Gargron@mastodon.social")
    'https://mastodon.social/@Gargron/109265196813853475'
    """
    if not post_id:
        return None
    handle = handle.lstrip("@") if handle else None
    if platform == "twitter":
        return twitter.canonical_url(handle, post_id)
    if platform == "bluesky":
        at = _AT_URI.fullmatch(post_id)
        if at:
            return _bluesky(at.group("actor"), at.group("rkey")).url
        return f"https://bsky.app/profile/{handle}/post/{post_id}" if handle else None
    if platform == "mastodon":
        user, _, server = (handle or "").partition("@")
        return f"https://{server}/@{user}/{post_id}" if user and server else None
    if platform in FORK_PLATFORMS.values():
        server = next(host for host, name in FORK_PLATFORMS.items() if name == platform)
        return f"https://{server}/@{handle.split('@')[0]}/{post_id}" if handle else None
    if platform == "threads":
        return f"https://www.threads.com/@{handle}/post/{post_id}" if handle else f"https://www.threads.com/t/{post_id}"
    if platform == "instagram":
        return f"https://www.instagram.com/p/{post_id}/"
    if platform == "tiktok":
        return f"https://www.tiktok.com/@{handle}/video/{post_id}" if handle else f"https://www.tiktok.com/embed/v2/{post_id}"
    if platform == "reddit":
        return f"https://www.reddit.com/comments/{post_id}/"
    return None


_URL_CANDIDATE = re.compile(r"(?:https?:|at:)?//[^\s\"'<>\\]+", re.IGNORECASE)
_TRAILING = ".,;:!?)]}"  # sentence punctuation after a URL in running text


def find_post_urls(text: str) -> list[tuple[PostRef, int, int]]:
    """Every post URL (or at-URI) in a text, with its span; other URLs are skipped.

    >>> [(r.platform, r.id) for r, _, _ in find_post_urls("see https://www.instagram.com/p/ByxilPNJK3M/.")]
    [('instagram', 'ByxilPNJK3M')]
    """
    found = []
    for m in _URL_CANDIDATE.finditer(text):
        candidate = m.group(0)
        if candidate.startswith("//") and m.start() > 0 and text[m.start() - 1] == ":":
            continue  # the tail of a scheme the pattern did not take (e.g. "ftp://")
        end = m.end()
        while candidate and candidate[-1] in _TRAILING:
            candidate = candidate[:-1]
            end -= 1
        ref = parse_post_url(candidate)
        if ref is not None:
            found.append((ref, m.start(), end))
    return found


# ---------------------------------------------------------------------------------------------------
# Time from ids

_TID = re.compile(r"[234567abcdefghij][234567abcdefghijklmnopqrstuvwxyz]{12}")
_TID_ALPHABET = "234567abcdefghijklmnopqrstuvwxyz"  # atproto "base32-sortable"
_B64_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
# Instagram's media-id epoch, fitted to <time datetime> of dated embeds (docs/platforms.md).
INSTAGRAM_EPOCH_MS = 1314220021721
INSTAGRAM_TIME_SHIFT = 23  # 41 bits of time above 13 bits of shard and 10 of sequence
MASTODON_TIME_SHIFT = 16  # 48 bits of milliseconds above 16 bits of hashed sequence (lib/mastodon/snowflake.rb)
TIKTOK_TIME_SHIFT = 32  # 32 bits of UNIX seconds above 32 bits of sub-second, sequence and machine
TID_CLOCK_ID_BITS = 10  # a TID is microseconds above a 10-bit clock id (atproto specs/tid)
# Shortcodes of 10 or 11 base-64 digits are the sharded media ids of Sept 2011 on; shorter ones are the
# sequential ids of 2010-11, longer ones private posts' keys, neither of which carries a time.
SHORTCODE_TIMED_LENGTHS = range(10, 12)
# No network here existed before 2000: an earlier decoded time is a sequential id or a broken clock.
EARLIEST_POST = datetime(2000, 1, 1, tzinfo=UTC)
# Ids are minted by the networks' clocks; one from further ahead than this is not a real post's.
MAX_CLOCK_AHEAD = timedelta(days=1)
_UNIX_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def post_time(platform: str, post_id: str) -> tuple[datetime, str] | None:
    """The UTC instant a post's id encodes and its precision, or None when the id carries no time.

    Precision is "microsecond" (Bluesky TIDs), "millisecond" (Twitter, Mastodon, Instagram, Threads) or
    "second" (TikTok); ``urls.iso_instant(moment, precision)`` writes it. Facebook and Reddit ids carry no time.

    >>> moment, precision = post_time("bluesky", "3lh5px6yngs26")
    >>> moment.isoformat(), precision
    ('2025-02-02T00:01:29.583000+00:00', 'microsecond')
    """
    decode = _DECODERS.get(platform)
    if decode is None or not post_id:
        return None
    found = decode(post_id)
    if found is None:
        return None
    moment, precision = found
    if not EARLIEST_POST <= moment <= datetime.now(UTC) + MAX_CLOCK_AHEAD:
        return None
    return moment, precision


def _from_us(us: int) -> datetime:
    # Whole seconds and the rest apart: timedelta(microseconds=n) goes through a float for large n.
    return _UNIX_EPOCH + timedelta(seconds=us // 1_000_000, microseconds=us % 1_000_000)


def _from_ms(ms: int) -> datetime:
    return _from_us(ms * 1000)


def _twitter(post_id: str) -> tuple[datetime, str] | None:
    moment = twitter.snowflake_time(post_id)
    return (moment, "millisecond") if moment else None


def _bluesky_time(post_id: str) -> tuple[datetime, str] | None:
    rkey = post_id.rstrip("/").rsplit("/", 1)[-1]
    if not _TID.fullmatch(rkey):
        return None  # not a TID: a record key chosen by its client, with no time in it
    n = 0
    for char in rkey:
        n = n * 32 + _TID_ALPHABET.index(char)
    return _from_us(n >> TID_CLOCK_ID_BITS), "microsecond"


def _mastodon(post_id: str) -> tuple[datetime, str] | None:
    if not post_id.isdigit() or len(post_id) > 19:
        return None
    return _from_ms(int(post_id) >> MASTODON_TIME_SHIFT), "millisecond"


def _shortcode(post_id: str) -> tuple[datetime, str] | None:
    if len(post_id) not in SHORTCODE_TIMED_LENGTHS or not all(c in _B64_ALPHABET for c in post_id):
        return None
    media_id = 0
    for char in post_id:
        media_id = media_id * 64 + _B64_ALPHABET.index(char)
    return _from_ms((media_id >> INSTAGRAM_TIME_SHIFT) + INSTAGRAM_EPOCH_MS), "millisecond"


def _tiktok(post_id: str) -> tuple[datetime, str] | None:
    if not post_id.isdigit() or len(post_id) > 20:
        return None
    return datetime.fromtimestamp(int(post_id) >> TIKTOK_TIME_SHIFT, tz=UTC), "second"


_DECODERS: dict[str, Callable[[str], tuple[datetime, str] | None]] = {
    "twitter": _twitter,
    "bluesky": _bluesky_time,
    "mastodon": _mastodon,
    "truthsocial": _mastodon,
    "instagram": _shortcode,
    "threads": _shortcode,
    "tiktok": _tiktok,
}
