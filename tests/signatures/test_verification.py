"""Uploaded signed PDFs are verified: signer, time, integrity, trusted root.

A commune's report (D1C1) gets its signed scan as an attachment; the report
page says who signed it and when, or why the signature is not valid.
"""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

from orgunits.models import Role
from reports import services
from reports.models import Attachment, ReceivedVia
from signatures.admin import TrustedRootForm
from signatures.models import FileVerification, TrustedRoot, Verdict
from signatures.verify import verify_pdf
from tests.factories import MembershipFactory
from tests.signatures.ca import make_root, make_signer, pkcs12_of
from tests.signatures.conftest import blank_pdf, signed_pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def writer(small_tree):
    return MembershipFactory(unit=small_tree["D1C1"], role=Role.REPORTER).user


def trust(root, name="CA gốc thử nghiệm") -> TrustedRoot:
    form = TrustedRootForm(data={"name": name, "pem": root.pem, "is_active": True})
    assert form.is_valid(), form.errors
    return form.save()


def attach(client, report, data: bytes, kind="signed_scan", name="bao-cao-ky-so.pdf"):
    response = client.post(
        reverse("reports:attachment_upload", args=[report.pk]),
        {"kind": kind, "file": SimpleUploadedFile(name, data, "application/pdf")},
    )
    assert response.status_code == 302
    return Attachment.objects.filter(report=report).latest("pk")


def note_on_page(client, report) -> str:
    html = client.get(reverse("reports:detail", args=[report.pk])).content.decode()
    start = html.index('data-testid="signature-note"')
    return " ".join(html[start : html.index("</div>", start)].split())


def test_an_uploaded_signed_pdf_shows_its_signer_and_time(
    client, commune_report, writer, p12, root
):
    trust(root)
    client.force_login(writer)
    attach(client, commune_report, signed_pdf(p12))

    note = note_on_page(client, commune_report)
    assert 'data-verdict="valid"' in note
    assert "Đã ký số bởi Dương Văn Trang lúc" in note
    assert "chứng thư do CA gốc thử nghiệm cấp" in note
    check = FileVerification.objects.get()
    assert check.signed_at is not None
    assert check.signatures == 1


def test_a_pdf_changed_after_signing_shows_it_is_broken(client, commune_report, writer, p12, root):
    trust(root)
    data = bytearray(signed_pdf(p12))
    # One byte of the signed range (the header's binary comment): still a PDF.
    assert data[:5] == b"%PDF-"
    newline = data.index(b"\n")
    data[newline + 2] ^= 0x01
    client.force_login(writer)
    attach(client, commune_report, bytes(data))

    note = note_on_page(client, commune_report)
    assert 'data-verdict="modified"' in note
    assert "Chữ ký không hợp lệ: tài liệu đã bị sửa sau khi ký." in note


def test_an_incremental_update_after_signing_shows_it_is_broken(
    client, commune_report, writer, p12, root
):
    trust(root)
    signed = signed_pdf(p12)
    update = IncrementalPdfFileWriter(io.BytesIO(signed))
    # A page added after signing: the document is no longer what was signed.
    page = generic.DictionaryObject(
        {
            generic.NameObject("/Type"): generic.NameObject("/Page"),
            generic.NameObject("/MediaBox"): generic.ArrayObject(
                [generic.NumberObject(v) for v in (0, 0, 595, 842)]
            ),
        }
    )
    update.insert_page(page)
    out = io.BytesIO()
    update.write(out)
    client.force_login(writer)
    attach(client, commune_report, out.getvalue())

    note = note_on_page(client, commune_report)
    assert "tài liệu đã bị sửa sau khi ký" in note
    assert "người ký: Dương Văn Trang" in note


def test_a_certificate_of_an_untrusted_root_says_so_until_the_root_is_trusted(
    client, commune_report, writer, p12, root
):
    trust(make_root("CA khác"))  # a root is configured, but not the signer's
    client.force_login(writer)
    attach(client, commune_report, signed_pdf(p12))

    note = note_on_page(client, commune_report)
    assert 'data-verdict="untrusted"' in note
    assert "chứng thư không thuộc tổ chức cung cấp dịch vụ tin cậy" in note

    trust(root)  # the administrator adds the provider's root: checked again
    assert 'data-verdict="valid"' in note_on_page(client, commune_report)


def test_a_signer_of_another_authority_is_not_trusted_by_name_alone(root):
    """A root with the same name but another key does not make a signature trusted."""
    impostor_root = make_root("CA gốc thử nghiệm")
    impostor = pkcs12_of(make_signer(impostor_root, "Dương Văn Trang"), impostor_root, "x")
    result = verify_pdf(signed_pdf(impostor, "x"), [root.der])
    assert result.verdict == Verdict.UNTRUSTED


def test_an_unsigned_scan_says_it_carries_no_signature_and_an_annex_says_nothing(
    client, commune_report, writer
):
    client.force_login(writer)
    attach(client, commune_report, blank_pdf(), kind="annex", name="phu-luc.pdf")
    html = client.get(reverse("reports:detail", args=[commune_report.pk])).content.decode()
    assert 'data-testid="signature-note"' not in html

    attach(client, commune_report, blank_pdf())
    assert "Tệp không có chữ ký số." in note_on_page(client, commune_report)


def test_a_checked_file_is_not_checked_again(client, commune_report, writer, p12, root):
    trust(root)
    client.force_login(writer)
    attach(client, commune_report, signed_pdf(p12))
    note_on_page(client, commune_report)
    checked_at = FileVerification.objects.get().checked_at

    note_on_page(client, commune_report)
    assert FileVerification.objects.get().checked_at == checked_at


def test_a_signed_report_received_by_email_shows_its_signer(
    client, commune_report, small_tree, p12, root
):
    """A report the commune sent by e-mail, recorded by the district."""
    import datetime

    trust(root)
    district = MembershipFactory(unit=small_tree["D1"], role=Role.COORDINATOR).user
    services.record_received_report(
        commune_report,
        by=district,
        received_via=ReceivedVia.EMAIL,
        received_on=datetime.date(2020, 3, 10),
        files=[SimpleUploadedFile("Báo cáo xã D1C1 (ký số).pdf", signed_pdf(p12))],
    )
    client.force_login(district)
    assert "Đã ký số bởi Dương Văn Trang" in note_on_page(client, commune_report)


def test_the_admin_refuses_a_root_that_is_not_a_certificate():
    form = TrustedRootForm(
        data={"name": "x", "pem": "-----BEGIN CERTIFICATE-----\nabc", "is_active": True}
    )
    assert not form.is_valid()
    assert "pem" in form.errors
