"""SVG safety, one list for every SVG the platform reads: what makes an SVG active.

A badge image is shown to people and baked into every badge: an SVG able to run
code would run it on verifiers' screens, and an external reference would tell a
third party who looks at a badge. :func:`findings` lists what a document holds of
either kind (stable codes); :func:`scrub` removes it. The badge-class upload
scrubs everything; the public verifier refuses only what is *active*
(:data:`ACTIVE`), since another issuer's badge may legitimately link an image.

Documents are parsed with defusedxml (no entity expansion, no external DTD) and
walked without recursion. Before the document is built, a streaming pass of the
parser counts its nesting and its elements and stops at the first one over
:data:`MAX_DEPTH` or :data:`MAX_ELEMENTS` (``svg_too_complex``): a document of
200,000 nested groups is refused without being built, and what is built stays
shallow enough for the standard library's recursive helpers.
"""

from __future__ import annotations

import re
from xml.dom.minidom import Document, Element, Node, ProcessingInstruction
from xml.parsers import expat
from xml.parsers.expat import ExpatError

from defusedxml import DefusedXmlException, DTDForbidden, EntitiesForbidden
from defusedxml.minidom import parseString

from insigne.platform.errors import CodedError

SVG_NAMESPACE = "http://www.w3.org/2000/svg"
XHTML_NAMESPACE = "http://www.w3.org/1999/xhtml"
# Findings that execute code or embed another document (the rest only leak who looks).
ACTIVE = frozenset({"svg_script", "svg_event_attribute", "svg_foreign_object"})

_SCRIPT_ELEMENTS = frozenset({"script", "handler", "listener"})
_EMBEDDING_ELEMENTS = frozenset({"foreignObject", "iframe", "embed", "object"})
_ANIMATIONS = frozenset({"set", "animate"})
# Raster images inlined as data: URLs are inert; an inlined SVG could not be scrubbed.
_SAFE_DATA_URL = re.compile(r"^data:image/(png|jpeg|gif|webp)[;,]", re.IGNORECASE)
_CSS_URL = re.compile(r"url\(\s*['\"]?\s*([^)'\"]*)", re.IGNORECASE)


# A drawing nests a few dozen levels and holds a few thousand elements.
MAX_DEPTH = 256
MAX_ELEMENTS = 100_000


class SvgError(CodedError):
    """An SVG that cannot be read safely at all."""


class _TooComplex(Exception):
    pass


def _check_shape(data: bytes) -> None:
    """Stream ``data`` through expat (no tree, no entity loading), counting levels and
    elements; raise :class:`SvgError` ``svg_too_complex`` at the first one too many."""
    parser = expat.ParserCreate()
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    level = elements = 0

    def start(_name: str, _attributes: object) -> None:
        nonlocal level, elements
        level += 1
        elements += 1
        if level > MAX_DEPTH or elements > MAX_ELEMENTS:
            raise _TooComplex

    def end(_name: str) -> None:
        nonlocal level
        level -= 1

    def entity(*_args: object) -> None:
        raise ExpatError("entity declared")  # the real parse below refuses it

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.EntityDeclHandler = entity
    try:
        parser.Parse(data, True)
    except _TooComplex as exc:
        raise SvgError("svg_too_complex", depth=MAX_DEPTH, elements=MAX_ELEMENTS) from exc
    except ExpatError:
        return  # the real parse below reports it


def parse(data: bytes, *, forbid_dtd: bool = True) -> Document:
    """The SVG document in ``data`` (root ``svg``), else :class:`SvgError`."""
    _check_shape(data)
    try:
        doc = parseString(data, forbid_dtd=forbid_dtd)
    except (DTDForbidden, EntitiesForbidden) as exc:
        raise SvgError("svg_dtd" if forbid_dtd else "svg_invalid") from exc
    except (ExpatError, DefusedXmlException, ValueError) as exc:
        raise SvgError("svg_invalid") from exc
    root = doc.documentElement
    if root is None or root.localName != "svg" or root.namespaceURI not in (SVG_NAMESPACE, None):
        raise SvgError("svg_not_svg")
    return doc  # type: ignore[no-any-return]


def _is_local_reference(value: str) -> bool:
    value = value.strip()
    return value.startswith("#") or bool(_SAFE_DATA_URL.match(value))


def _has_external_css(text: str) -> bool:
    # A backslash could spell url( or @import through CSS escapes: refuse it outright.
    lowered = text.lower()
    if "@import" in lowered or "\\" in text or "expression(" in lowered:
        return True
    return any(not _is_local_reference(target) for target in _CSS_URL.findall(text))


def _text_of(element: Element) -> str:
    return "".join(getattr(node, "data", "") for node in element.childNodes)


def _element_finding(element: Element) -> str | None:
    name = element.localName or ""
    if name in _SCRIPT_ELEMENTS:
        return "svg_script"
    if name in _EMBEDDING_ELEMENTS or element.namespaceURI == XHTML_NAMESPACE:
        return "svg_foreign_object"
    target = element.getAttribute("attributeName").lower()
    if name in _ANIMATIONS and (target.endswith("href") or target.startswith("on")):
        return "svg_script"  # animating href or an event handler injects behaviour
    if name == "style" and _has_external_css(_text_of(element)):
        return "svg_external_reference"
    return None


def _attribute_finding(name: str, value: str) -> str | None:
    if name.lower().startswith("on"):
        return "svg_event_attribute"
    if name.lower().endswith("href") and value.strip().lower().startswith("javascript:"):
        return "svg_script"
    if name == "href" and not _is_local_reference(value):
        return "svg_external_reference"
    if ("url(" in value.lower() or name == "style") and _has_external_css(value):
        return "svg_external_reference"
    return None


def _attribute_findings(element: Element, remove: bool) -> list[str]:
    found = []
    for attribute in list(element.attributes.values()):
        finding = _attribute_finding(attribute.localName or attribute.name, attribute.value)
        if finding:
            found.append(finding)
            if remove:
                element.removeAttributeNode(attribute)
    return found


def _node_findings(node: Node, remove: bool) -> tuple[list[str], bool]:
    """What ``node`` itself holds, and whether to walk into it (not once it is refused)."""
    if isinstance(node, ProcessingInstruction):
        finding = "svg_processing_instruction"
    elif isinstance(node, Element):
        found = _element_finding(node)
        if found is None:
            return _attribute_findings(node, remove), True
        finding = found
    else:
        return [], False
    if remove and node.parentNode is not None:
        node.parentNode.removeChild(node)
    return [finding], False


def _walk(doc: Document, remove: bool) -> list[str]:
    """Findings in document order, the root's own attributes last; iterative, any depth."""
    root = doc.documentElement
    assert root is not None  # checked by parse
    found: list[str] = []
    pending: list[Node] = list(reversed(doc.childNodes))
    while pending:
        node = pending.pop()
        if node is root:
            pending.extend(reversed(node.childNodes))
            continue
        more, descend = _node_findings(node, remove)
        found += more
        if descend:
            pending.extend(reversed(node.childNodes))
    return found + _attribute_findings(root, remove)


def findings(doc: Document) -> list[str]:
    """The codes of everything active or external in ``doc``, document order not kept."""
    return _walk(doc, remove=False)


def scrub(doc: Document) -> list[str]:
    """Remove from ``doc`` everything :func:`findings` would list; return the codes removed."""
    return _walk(doc, remove=True)
