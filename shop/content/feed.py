"""The articles' Atom feed (RFC 4287), built from plain values: no database, no request."""

from dataclasses import dataclass
from datetime import datetime
from xml.etree import ElementTree as ET

ATOM = "http://www.w3.org/2005/Atom"


@dataclass(frozen=True)
class FeedEntry:
    url: str
    title: str
    summary: str
    author: str
    published: datetime  # naive UTC, as stored
    updated: datetime


def _stamp(moment: datetime) -> str:
    return moment.replace(microsecond=0).isoformat() + "Z"


def atom(*, title: str, feed_url: str, site_url: str, author: str, entries: list[FeedEntry]) -> bytes:
    """The feed document as UTF-8 bytes; its `updated` is the newest entry's (or the epoch with none)."""
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed")
    ET.SubElement(feed, f"{{{ATOM}}}title").text = title
    ET.SubElement(feed, f"{{{ATOM}}}id").text = feed_url
    ET.SubElement(feed, f"{{{ATOM}}}link", rel="self", type="application/atom+xml", href=feed_url)
    ET.SubElement(feed, f"{{{ATOM}}}link", rel="alternate", type="text/html", href=site_url)
    newest = max((e.updated for e in entries), default=datetime(1970, 1, 1))
    ET.SubElement(feed, f"{{{ATOM}}}updated").text = _stamp(newest)
    ET.SubElement(ET.SubElement(feed, f"{{{ATOM}}}author"), f"{{{ATOM}}}name").text = author
    for entry in entries:
        node = ET.SubElement(feed, f"{{{ATOM}}}entry")
        ET.SubElement(node, f"{{{ATOM}}}title").text = entry.title
        ET.SubElement(node, f"{{{ATOM}}}id").text = entry.url
        ET.SubElement(node, f"{{{ATOM}}}link", rel="alternate", type="text/html", href=entry.url)
        ET.SubElement(node, f"{{{ATOM}}}published").text = _stamp(entry.published)
        ET.SubElement(node, f"{{{ATOM}}}updated").text = _stamp(max(entry.updated, entry.published))
        ET.SubElement(node, f"{{{ATOM}}}summary", type="text").text = entry.summary
        if entry.author:
            ET.SubElement(ET.SubElement(node, f"{{{ATOM}}}author"), f"{{{ATOM}}}name").text = entry.author
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True)
