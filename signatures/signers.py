"""Who signs: the signing path as an interface.

``DocumentSigner.sign_pdf(pdf, appearance)`` returns the PAdES-signed PDF
(PAdES baseline B-B: ``/SubFilter /ETSI.CAdES.detached``, SHA-256), with the
visible appearance in a new signature field at ``appearance.box``.

Implemented now: :class:`ServerKeySigner`, the body's certificate kept on the
server (an uploaded PKCS#12, passphrase sealed, :mod:`signatures.keys`); the
job signs without anybody present.

Next: ``ClientTokenSigner``, the signer's own token (a USB token or a remote
signing service) through a signing client on the signer's computer. It keeps
this interface but signs in two steps, with pyHanko's interrupted signing:

1. the job prepares the document (``PdfSigner.digest_doc_for_signing`` with
   an ``ExternalSigner`` holding the signer's certificate, fetched from the
   client beforehand), stores the prepared PDF and its digest, and marks the
   ``SignedDocument`` "awaiting the signer" (a new ``SigningStatus``);
2. the signer opens the document's page; the page hands the digest to the
   signing client (a local HTTPS endpoint or the vendor's browser plug-in),
   which signs it with the token and posts the CMS signature back;
   ``PdfTBSDocument.finish_signing`` embeds it and the row is done.

Nothing else changes: what is served, the appearance and the verification
are the same for both paths.
"""

from __future__ import annotations

import asyncio
import io
import os
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from django.conf import settings
from fontTools.ttLib import TTFont
from fontTools.ttLib.scaleUpem import scale_upem
from pyhanko.pdf_utils.font.opentype import GlyphAccumulatorFactory
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.text import TextBoxStyle
from pyhanko.sign import fields, signers
from pyhanko.stamp import TextStampStyle

from . import keys
from .models import SigningCertificate
from .placement import Box

FIELD_NAME = "ChuKySo"
FONT = Path(settings.BASE_DIR) / "static" / "fonts" / "Tinos-Regular.ttf"
FONT_SIZE = 9


def stamp_font() -> str:
    """Tinos (the documents' font, with Vietnamese) at 1000 units per em.

    pyHanko writes a font's glyph widths as they are in the font, which PDF
    reads as thousandths of an em: a font of 2048 units (Tinos) would print
    its letters twice as far apart. A copy scaled to 1000 units is made once
    (fontTools) in the temporary folder.
    """
    target = Path(tempfile.gettempdir()) / f"tongket-{FONT.stem}-1000upem.ttf"
    if not target.exists():
        font = TTFont(FONT)
        scale_upem(font, 1000)
        partial = target.with_suffix(f".{os.getpid()}.tmp")
        font.save(partial)
        os.replace(partial, target)
    return str(target)


@dataclass(frozen=True)
class Appearance:
    box: Box
    text: str  # the lines of the visible stamp
    reason: str
    location: str


class DocumentSigner(Protocol):
    def sign_pdf(self, pdf: bytes, appearance: Appearance) -> bytes: ...


def outside_event_loop(fn, *args, **kwargs):
    """``fn(*args, **kwargs)``, in a thread of its own when this thread runs
    an asyncio loop: pyHanko's synchronous calls start one with asyncio.run,
    which refuses to nest (an ASGI server's loop, Playwright's in the tests)."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return fn(*args, **kwargs)
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(fn, *args, **kwargs).result()


class SigningError(Exception):
    """The certificate cannot sign (its passphrase no longer opens it, …)."""


def _stamp_style() -> TextStampStyle:
    return TextStampStyle(
        stamp_text="%(text)s",
        text_box_style=TextBoxStyle(
            font=GlyphAccumulatorFactory(stamp_font(), font_size=FONT_SIZE), font_size=FONT_SIZE
        ),
        border_width=1,
        background=None,
    )


def load_pkcs12(data: bytes, passphrase: str) -> signers.SimpleSigner:
    """A pyHanko signer from PKCS#12 bytes; ValueError on a wrong passphrase."""
    signer = signers.SimpleSigner.load_pkcs12_data(data, [], passphrase=passphrase.encode())
    if signer is None:  # pyHanko logs and answers None on a wrong passphrase
        raise ValueError("The PKCS#12 data cannot be opened with this passphrase.")
    return signer


class ServerKeySigner:
    """Signs with a body's certificate kept on the server."""

    def __init__(self, certificate: SigningCertificate) -> None:
        self.certificate = certificate

    def _signer(self) -> signers.SimpleSigner:
        try:
            with self.certificate.pkcs12.open("rb") as handle:
                data = handle.read()
            return load_pkcs12(data, keys.unseal(self.certificate.sealed_passphrase))
        except (keys.SealError, ValueError, OSError) as error:
            raise SigningError(str(error)) from error

    def sign_pdf(self, pdf: bytes, appearance: Appearance) -> bytes:
        writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
        fields.append_signature_field(
            writer,
            fields.SigFieldSpec(
                sig_field_name=FIELD_NAME,
                on_page=appearance.box.page,
                box=appearance.box.as_tuple(),
            ),
        )
        metadata = signers.PdfSignatureMetadata(
            field_name=FIELD_NAME,
            md_algorithm="sha256",
            subfilter=fields.SigSeedSubFilter.PADES,
            reason=appearance.reason,
            location=appearance.location,
        )
        pdf_signer = signers.PdfSigner(metadata, signer=self._signer(), stamp_style=_stamp_style())
        out = outside_event_loop(
            pdf_signer.sign_pdf, writer, appearance_text_params={"text": appearance.text}
        )
        return out.getvalue()
