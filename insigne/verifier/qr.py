"""A badge given as a photo or a screenshot of its QR code (the badge page and the PDF
attestation carry one): the code is read on the server with zxing-cpp.

The page's camera scan uses the browser's own ``BarcodeDetector`` when it has one and
otherwise sends a frame here, so every visitor can scan, with or without the API, and
without any third-party script in the page (its Content-Security-Policy stays strict).
"""

from __future__ import annotations

import io

import zxingcpp
from PIL import Image, UnidentifiedImageError

from insigne.platform.errors import CodedError

# Phone photos are about 12 megapixels; anything much larger is refused before decoding.
MAX_PIXELS = 40_000_000
# What a photo may be: JPEG, PNG, WebP, GIF (checked on the bytes, not the name).
_QR_FORMATS = zxingcpp.BarcodeFormats(zxingcpp.BarcodeFormat.QRCode)
_SIGNATURES = (b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"GIF87a", b"GIF89a")


class QrError(CodedError):
    """An image that carries no readable QR code."""


def looks_like_photo(data: bytes) -> bool:
    return data.startswith(_SIGNATURES) or (data[:4] == b"RIFF" and data[8:12] == b"WEBP")


def read_qr(data: bytes) -> str:
    """The text of the first QR code in the image ``data``, else ``QrError``."""
    try:
        with Image.open(io.BytesIO(data)) as image:
            width, height = image.size
            if width * height > MAX_PIXELS:
                raise QrError("qr_unreadable", reason="image_too_large")
            grey = image.convert("L")
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as error:
        raise QrError("qr_unreadable") from error
    found = zxingcpp.read_barcodes(grey, formats=_QR_FORMATS)
    texts = [code.text.strip() for code in found if code.text and code.text.strip()]
    if not texts:
        raise QrError("qr_unreadable", reason="qr_none")
    return texts[0]
