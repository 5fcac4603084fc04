"""A certificate authority of the tests' own, a body's certificate, signed PDFs."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfWriter

from signatures import services
from signatures.placement import signature_box
from signatures.signers import Appearance, ServerKeySigner, load_pkcs12

from .ca import make_root, make_signer, pkcs12_of

PASSPHRASE = "Mật-khẩu 2026!"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture(scope="session")
def root():
    return make_root()


@pytest.fixture(scope="session")
def signer(root):
    return make_signer(root, "Dương Văn Trang")


@pytest.fixture(scope="session")
def p12(signer, root) -> bytes:
    return pkcs12_of(signer, root, PASSPHRASE)


def give_certificate(body, p12: bytes, passphrase: str = PASSPHRASE):
    return services.upload_certificate(
        body=body, data=p12, filename="ky-so.p12", passphrase=passphrase
    )


class _KeySigner(ServerKeySigner):
    """The server's signing path over PKCS#12 bytes, without a stored row."""

    def __init__(self, p12: bytes, passphrase: str) -> None:
        self.p12, self.passphrase = p12, passphrase

    def _signer(self):
        return load_pkcs12(self.p12, self.passphrase)


def blank_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def signed_pdf(p12: bytes, passphrase: str = PASSPHRASE, pdf: bytes | None = None) -> bytes:
    """A PDF signed by the holder of ``p12``: a unit's signed report."""
    pdf = pdf or blank_pdf()
    box = signature_box(pdf, signer_name="", signer_position="")
    appearance = Appearance(box=box, text="Ký số", reason="Ký báo cáo", location="Gia Lai")
    return _KeySigner(p12, passphrase).sign_pdf(pdf, appearance)
