"""Read a raw message for the demo mailbox: text, HTML, links and attachments."""

from __future__ import annotations

import email
import re
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.policy import default as default_policy
from html.parser import HTMLParser

_URL = re.compile(r"https?://[^\s<>\"')\]]+")


@dataclass(frozen=True)
class AttachmentInfo:
    index: int
    filename: str
    mimetype: str
    size: int


@dataclass
class ParsedMail:
    subject: str = ""
    sender: str = ""
    to: str = ""
    text: str = ""
    html: str = ""
    links: list[str] = field(default_factory=list)
    attachments: list[AttachmentInfo] = field(default_factory=list)


class _HrefCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self.hrefs += [value for name, value in attrs if name == "href" and value]


def parse_raw(raw: bytes) -> EmailMessage:
    message = email.message_from_bytes(raw, policy=default_policy)
    assert isinstance(message, EmailMessage)  # the default policy builds EmailMessage
    return message


def read_mail(raw: bytes) -> ParsedMail:
    message = parse_raw(raw)
    parsed = ParsedMail(
        subject=str(message.get("Subject", "")),
        sender=str(message.get("From", "")),
        to=str(message.get("To", "")),
        text=_body(message, "plain"),
        html=_body(message, "html"),
    )
    parsed.links = find_links(parsed.text, parsed.html)
    parsed.attachments = [
        AttachmentInfo(
            index,
            part.get_filename() or f"piece-{index}",
            part.get_content_type(),
            len(_payload(part)),
        )
        for index, part in enumerate(message.iter_attachments())
    ]
    return parsed


def attachment(raw: bytes, index: int) -> tuple[str, str, bytes] | None:
    """``(filename, mimetype, content)`` of the attachment at ``index``, or None."""
    for position, part in enumerate(parse_raw(raw).iter_attachments()):
        if position == index:
            content = _payload(part)
            return part.get_filename() or f"piece-{index}", part.get_content_type(), content
    return None


def find_links(text: str, html: str) -> list[str]:
    """Every http(s) link of the text and HTML parts, once each, in reading order."""
    collector = _HrefCollector()
    collector.feed(html)
    candidates = _URL.findall(text) + collector.hrefs
    links = [link.rstrip(".,;") for link in candidates if link.startswith(("http://", "https://"))]
    return list(dict.fromkeys(links))


def _payload(part: EmailMessage) -> bytes:
    payload = part.get_payload(decode=True)
    return payload if isinstance(payload, bytes) else b""


def _body(message: EmailMessage, subtype: str) -> str:
    part = message.get_body(preferencelist=(subtype,))
    if part is None or part.get_content_type() != f"text/{subtype}":
        return ""
    return str(part.get_content())
