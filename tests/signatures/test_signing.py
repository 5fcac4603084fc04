"""Final documents signed in the background with the issuing body's certificate.

On seed 000's plan over the small tree (province P, districts D1 and D2, two
communes each). The certificate authority is made by the tests (ca.py).
"""

from __future__ import annotations

import io
import re

import pytest
from asn1crypto import x509 as asn1_x509
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext
from pypdf import PdfReader
from pypdf.generic import ContentStream

from campaigns import services as plan_services
from consolidation.models import BuildStatus, DocumentBuild
from orgunits.bodies import default_body
from orgunits.models import IssuingBody, IssuingBodyKind, Role
from reports.models import Report
from signatures import keys, placement, services, tasks
from signatures.models import SignedDocument, SigningCertificate, SigningStatus
from tests.campaigns.seeds import SEED000_DEADLINES
from tests.consolidation.test_pieces import build as pieced_build
from tests.consolidation.test_pieces import make_bloc, make_report
from tests.factories import MembershipFactory, PlanFactory
from tests.signatures.ca import make_root, make_signer, pkcs12_of
from tests.signatures.conftest import PASSPHRASE, give_certificate

pytestmark = pytest.mark.django_db

SIGNER_NAME = "Dương Văn Trang"


def stamp_lines(widget, reader) -> list[str]:
    """The lines of the visible signature (their /ActualText in the appearance)."""
    appearance = ContentStream(widget["/AP"]["/N"].get_object(), reader)
    return [
        str(operands[1]["/ActualText"])
        for operands, operator in appearance.operations
        if operator == b"BDC" and isinstance(operands[1], dict) and "/ActualText" in operands[1]
    ]


def content_of(response) -> bytes:
    return b"".join(response.streaming_content)


def validate(pdf: bytes, root):
    """pyHanko's own validator, trusting the tests' root only."""
    embedded = PdfFileReader(io.BytesIO(pdf)).embedded_signatures
    assert len(embedded) == 1
    context = ValidationContext(trust_roots=[asn1_x509.Certificate.load(root.der)])
    return embedded[0], validate_pdf_signature(embedded[0], context)


@pytest.fixture
def province_report(published_plan, small_tree) -> Report:
    report = Report.objects.get(campaign=published_plan, unit=small_tree["P"])
    report.number, report.issuer_symbol, report.signer_name = 312, "TU", SIGNER_NAME
    report.save()
    return report


def build_pdf(client, report, django_capture_on_commit_callbacks) -> DocumentBuild:
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("consolidation:build_start", args=[report.pk]), {"fmt": "pdf"}
        )
    assert response.status_code == 302
    build = DocumentBuild.objects.get(report=report, fmt="pdf")
    assert build.status == BuildStatus.DONE, build.error
    return build


def test_a_consolidated_report_is_signed_in_a_job_and_pyhanko_validates_it(
    client, coordinator, province_report, p12, root, django_capture_on_commit_callbacks
):
    give_certificate(province_report.body, p12)
    client.force_login(coordinator)
    build = build_pdf(client, province_report, django_capture_on_commit_callbacks)

    signed = SignedDocument.objects.get(build=build)
    assert signed.status == SigningStatus.DONE, signed.error
    response = client.get(
        reverse("consolidation:build_download", args=[province_report.pk, build.pk])
    )
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('bao-cao-tong-hop-P.pdf"')
    pdf = content_of(response)
    with build.file.open("rb") as handle:
        unsigned = handle.read()
    assert pdf.startswith(unsigned)  # an incremental update of the built file
    embedded, status = validate(pdf, root)
    assert status.intact
    assert status.valid
    assert status.trusted
    assert status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    assert status.signing_cert.subject.native["common_name"] == SIGNER_NAME
    assert embedded.sig_object["/SubFilter"] == "/ETSI.CAdES.detached"  # PAdES

    # The visible signature sits in the signature block: on the page of the
    # signer's name (the annexes follow it), between the position line and
    # the name, in the right column.
    reader = PdfReader(io.BytesIO(pdf))
    signed_on = [i for i, page in enumerate(reader.pages) if "/Annots" in page]
    assert len(signed_on) == 1
    page = reader.pages[signed_on[0]]
    assert signed_on[0] < len(reader.pages) - 1  # PHỤ LỤC 1 and 2 come after it
    widget = page["/Annots"][-1].get_object()
    assert widget["/FT"] == "/Sig"
    x1, y1, x2, y2 = (float(v) for v in widget["/Rect"])
    runs = placement._lines(page)
    name = next(run for run in runs if run[0].strip() == SIGNER_NAME)
    position = next(run for run in runs if run[0].strip() == "BÍ THƯ")
    assert float(page.mediabox[2]) / 2 < x1 < name[1] < x2
    assert name[2] < y1 < y2 < position[2]
    lines = stamp_lines(widget, reader)
    assert lines[0] == f"Ký số bởi: {SIGNER_NAME}"
    assert lines[1] == f"Cơ quan: {province_report.body.phrase}"
    assert re.fullmatch(r"Thời gian: \d\d:\d\d, ngày \d\d/\d\d/20\d\d", lines[2])


def test_a_build_rendered_in_pieces_is_signed_once_merged(
    levels, p12, root, settings, django_capture_on_commit_callbacks
):
    # The annex of every unit in pieces (documents.chunked_pdf): the last piece
    # merges, and the merged file is what the job signs.
    settings.DOCUMENT_PIECES_FROM_ROWS = 10
    settings.DOCUMENT_PIECE_HEAD_ROWS = 7
    settings.DOCUMENT_PIECE_PAGES = 1
    report = make_report(make_bloc(levels))
    give_certificate(report.body, p12)
    build = pieced_build(report, django_capture_on_commit_callbacks)
    assert build.status == BuildStatus.DONE, build.error
    assert build.chunk_count >= 3
    signed = SignedDocument.objects.get(build=build)
    assert signed.status == SigningStatus.DONE, signed.error
    with signed.file.open("rb") as handle:
        pdf = handle.read()
    _embedded, status = validate(pdf, root)
    assert status.intact
    assert status.valid
    assert status.trusted
    assert status.coverage == SignatureCoverageLevel.ENTIRE_FILE


def test_the_job_is_idempotent(
    client, coordinator, province_report, p12, django_capture_on_commit_callbacks
):
    give_certificate(province_report.body, p12)
    client.force_login(coordinator)
    build = build_pdf(client, province_report, django_capture_on_commit_callbacks)
    signed = SignedDocument.objects.get(build=build)
    name = signed.file.name

    with django_capture_on_commit_callbacks(execute=True):
        services.document_final(build)  # a second "final" for the same build
    assert tasks.sign(signed.pk) == "already claimed"  # a duplicate message
    assert SignedDocument.objects.filter(build=build).count() == 1
    signed.refresh_from_db()
    assert signed.file.name == name


def test_a_report_of_another_body_without_a_certificate_is_served_unsigned(
    client, coordinator, province_report, small_tree, p12, django_capture_on_commit_callbacks
):
    give_certificate(default_body(small_tree["P"]), p12)
    commission = IssuingBody.objects.create(
        unit=small_tree["P"],
        kind=IssuingBodyKind.COMMISSION,
        name="BAN DÂN VẬN",
        phrase="Ban Dân vận Tỉnh ủy Gia Lai",
        symbol="BDVTU",
    )
    province_report.issuing_body = commission
    province_report.save()
    client.force_login(coordinator)
    build = build_pdf(client, province_report, django_capture_on_commit_callbacks)

    assert not SignedDocument.objects.filter(build=build).exists()
    pdf = content_of(
        client.get(reverse("consolidation:build_download", args=[province_report.pk, build.pk]))
    )
    assert list(PdfFileReader(io.BytesIO(pdf)).embedded_signatures) == []


def test_a_passphrase_that_no_longer_opens_fails_the_job_and_the_unsigned_file_is_served(
    client, coordinator, province_report, p12, settings, django_capture_on_commit_callbacks
):
    give_certificate(province_report.body, p12)
    settings.SIGNING_KEY_SECRET = "another secret than the one that sealed it"
    client.force_login(coordinator)
    build = build_pdf(client, province_report, django_capture_on_commit_callbacks)

    signed = SignedDocument.objects.get(build=build)
    assert signed.status == SigningStatus.FAILED
    assert signed.error
    pdf = content_of(
        client.get(reverse("consolidation:build_download", args=[province_report.pk, build.pk]))
    )
    assert list(PdfFileReader(io.BytesIO(pdf)).embedded_signatures) == []


def test_a_published_plan_is_signed_and_its_pdf_is_the_signed_one(
    client, small_tree, p12, root, django_capture_on_commit_callbacks
):
    province = small_tree["P"]
    coordinator = MembershipFactory(unit=province, role=Role.COORDINATOR).user
    plan = PlanFactory(issuing_unit=province, seed000=True, deadlines=SEED000_DEADLINES)
    plan.signer_name = SIGNER_NAME
    plan.save()
    give_certificate(plan.issuing_body, p12)
    with django_capture_on_commit_callbacks(execute=True):
        plan_services.publish(plan=plan, by=coordinator)

    signed = SignedDocument.objects.get(plan=plan)
    assert (signed.revision, signed.status) == (1, SigningStatus.DONE), signed.error
    client.force_login(coordinator)
    response = client.get(reverse("campaigns:pdf", args=[plan.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    _embedded, status = validate(content_of(response), root)
    assert status.bottom_line
    assert status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    # The DOCX stays the unsigned document.
    docx = client.get(reverse("campaigns:docx", args=[plan.pk]))
    assert docx["Content-Type"].endswith("wordprocessingml.document")


def test_a_plan_whose_body_has_no_certificate_is_not_signed(
    small_tree, django_capture_on_commit_callbacks
):
    province = small_tree["P"]
    coordinator = MembershipFactory(unit=province, role=Role.COORDINATOR).user
    plan = PlanFactory(issuing_unit=province, seed000=True, deadlines=SEED000_DEADLINES)
    with django_capture_on_commit_callbacks(execute=True):
        plan_services.publish(plan=plan, by=coordinator)
    assert plan.revisions.count() == 1
    assert not SignedDocument.objects.exists()


# --- The certificate upload ---------------------------------------------------


@pytest.fixture
def body_coordinator(small_tree):
    return MembershipFactory(unit=small_tree["D1C1"], role=Role.COORDINATOR).user


def upload(client, body, p12: bytes, passphrase: str):
    return client.post(
        reverse("signatures:certificate", args=[body.pk]),
        {
            "file": SimpleUploadedFile("chu-ky.p12", p12, "application/x-pkcs12"),
            "passphrase": passphrase,
        },
    )


def test_a_certificate_is_kept_with_its_passphrase_sealed(
    client, small_tree, body_coordinator, p12
):
    body = default_body(small_tree["D1C1"])
    client.force_login(body_coordinator)
    response = upload(client, body, p12, PASSPHRASE)
    assert response.status_code == 302

    certificate = SigningCertificate.objects.get(body=body, is_active=True)
    assert certificate.subject == SIGNER_NAME
    assert certificate.issuer == "CA gốc thử nghiệm"
    assert PASSPHRASE not in certificate.sealed_passphrase
    assert keys.unseal(certificate.sealed_passphrase) == PASSPHRASE
    folder, random, _name = certificate.pkcs12.name.rsplit("/", 2)
    assert folder == f"signing-keys/{body.pk}"
    assert len(random) == 22
    page = client.get(reverse("signatures:certificate", args=[body.pk]))
    html = page.content.decode()
    assert SIGNER_NAME in html
    assert PASSPHRASE not in html


def test_a_new_certificate_replaces_the_old_one(client, small_tree, body_coordinator, p12):
    body = default_body(small_tree["D1C1"])
    client.force_login(body_coordinator)
    upload(client, body, p12, PASSPHRASE)
    other_root = make_root("CA khác")
    upload(client, body, pkcs12_of(make_signer(other_root, "Trần Thị Bình"), other_root, "x"), "x")

    assert SigningCertificate.objects.filter(body=body).count() == 2
    assert SigningCertificate.objects.get(body=body, is_active=True).subject == "Trần Thị Bình"


def test_a_wrong_passphrase_is_a_clear_vietnamese_form_error(
    client, small_tree, body_coordinator, p12
):
    body = default_body(small_tree["D1C1"])
    client.force_login(body_coordinator)
    response = upload(client, body, p12, "sai mật khẩu")

    assert response.status_code == 200
    html = response.content.decode()
    assert "Mật khẩu không mở được tệp này" in html
    assert "sai mật khẩu" not in html  # the passphrase typed is not shown back
    assert not SigningCertificate.objects.filter(body=body).exists()


def test_a_file_that_is_not_pkcs12_is_refused(client, small_tree, body_coordinator):
    body = default_body(small_tree["D1C1"])
    client.force_login(body_coordinator)
    response = upload(client, body, b"%PDF-1.7 not a certificate", "")
    assert "không phải chứng thư số PKCS#12" in response.content.decode()
    assert not SigningCertificate.objects.exists()


def test_an_expired_certificate_is_refused(client, small_tree, body_coordinator, root):
    body = default_body(small_tree["D1C1"])
    client.force_login(body_coordinator)
    expired = make_signer(root, "Lê Văn Cũ", days=-1)
    response = upload(client, body, pkcs12_of(expired, root, "a"), "a")
    assert "Chứng thư số đã hết hạn" in response.content.decode()


def test_removing_the_certificate_stops_signing(client, small_tree, body_coordinator, p12):
    body = default_body(small_tree["D1C1"])
    give_certificate(body, p12)
    client.force_login(body_coordinator)
    response = client.post(reverse("signatures:certificate_remove", args=[body.pk]))
    assert response.status_code == 302
    assert services.active_certificate(body.pk) is None


def test_the_minute_sweep_queues_again_a_signing_the_broker_lost(province_report, p12, monkeypatch):
    import datetime

    from django.utils import timezone

    certificate = give_certificate(province_report.body, p12)
    lost, done = (
        SignedDocument.objects.create(
            build=DocumentBuild.objects.create(report=province_report, fmt="pdf"),
            certificate=certificate,
            status=status,
        )
        for status in (SigningStatus.QUEUED, SigningStatus.DONE)
    )
    now = timezone.now()
    SignedDocument.objects.update(created=now - datetime.timedelta(minutes=2, seconds=30))
    queued = []
    monkeypatch.setattr(services, "enqueue", lambda task, pk: queued.append(pk) or True)

    assert services.requeue_lost_signings(now) == 1
    assert queued == [lost.pk]
    assert done.pk not in queued
