"""Files as offices have them: Word 97–2003 (.doc) and Excel 97–2003 (.xls),
told by content; and the kind an upload is filed under when left to the file."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from orgunits.models import Role
from reports.attachments import attachment_create, check_upload, default_kind
from reports.models import Attachment, AttachmentKind, Report
from tests.factories import MembershipFactory
from tests.reports.ole import MAGIC, build_ole, doc_bytes, xls_bytes
from tests.reports.test_attachments import PDF, docx_bytes, png_bytes, xlsx_bytes

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
# Written by LibreOffice (soffice --headless --convert-to doc) from one line of text.
LIBREOFFICE_DOC = (Path(__file__).parent / "files" / "phu-luc.doc").read_bytes()
VBA = {"VBA": {"dir": b"\x01", "ThisDocument": b"Attribute VB_Name"}, "PROJECT": b"ID="}


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def report(published_plan, small_tree):
    return Report.objects.get(campaign=published_plan, unit=small_tree["D1C1"])


@pytest.fixture
def reporter(small_tree):
    return MembershipFactory(unit=small_tree["D1C1"], role=Role.REPORTER).user


def upload(client, report, name, content, kind=""):
    return client.post(
        reverse("reports:attachment_upload", args=[report.pk]),
        {"file": SimpleUploadedFile(name, content), "kind": kind, "next": "/"},
        **HTMX,
    )


def error_of(response) -> str:
    html = response.content.decode()
    assert 'data-testid="attachment-error"' in html
    return html


@pytest.mark.parametrize(
    ("name", "content", "extension", "content_type"),
    [
        ("Phụ lục.doc", LIBREOFFICE_DOC, "doc", "application/msword"),
        ("Báo cáo cũ.doc", doc_bytes(), "doc", "application/msword"),
        ("Số liệu.xls", xls_bytes(), "xls", "application/vnd.ms-excel"),
        ("Excel 95.xls", build_ole({"Book": b"\x09\x08"}), "xls", "application/vnd.ms-excel"),
    ],
    ids=["libreoffice-doc", "doc", "xls", "excel95-book"],
)
def test_it_attaches_an_office_97_document(
    client, report, reporter, name, content, extension, content_type
):
    client.force_login(reporter)
    response = upload(client, report, name, content)

    assert 'data-testid="attachment-error"' not in response.content.decode()
    attachment = Attachment.objects.get(report=report)
    assert attachment.original_name == name
    assert attachment.content_type == content_type
    assert attachment.file.name.endswith(f".{extension}")
    assert attachment.file.read() == content


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("Báo cáo.doc", doc_bytes(Macros=VBA)),
        ("Báo cáo.doc", doc_bytes(Macros={"VBA": {"dir": b"\x01"}})),
        ("Số liệu.xls", xls_bytes(_VBA_PROJECT_CUR=VBA)),
        # A macro project hidden one storage down is found all the same.
        ("Số liệu.xls", xls_bytes(Extra={"_VBA_PROJECT": {"dir": b"\x01"}})),
    ],
    ids=["word-macros", "word-vba", "excel-vba-project", "nested"],
)
def test_it_refuses_an_office_97_document_with_macros(client, report, reporter, name, content):
    client.force_login(reporter)
    html = error_of(upload(client, report, name, content))
    assert "Không được đính kèm tài liệu có macro" in html
    assert not Attachment.objects.exists()


@pytest.mark.parametrize(
    ("name", "content"),
    [
        # PowerPoint, an installer, a bare OLE file: compound files, not documents we take.
        ("trinh-chieu.doc", build_ole({"PowerPoint Document": b"\x00"})),
        ("cai-dat.xls", build_ole({"\x05SummaryInformation": b"\x00"})),
        ("hong.doc", MAGIC + b"\x00" * 2000),
        ("ngan.doc", MAGIC),
    ],
    ids=["powerpoint", "no-document-stream", "broken-ole", "magic-only"],
)
def test_it_refuses_a_compound_file_that_is_no_word_or_excel_document(
    client, report, reporter, name, content
):
    client.force_login(reporter)
    html = error_of(upload(client, report, name, content))
    assert "Word (.doc, .docx) và Excel (.xls, .xlsx)" in html
    assert not Attachment.objects.exists()


@pytest.mark.parametrize(
    ("name", "content", "family"),
    [
        ("Báo cáo.doc", PDF, "Word"),
        ("Phụ lục.docx", png_bytes(), "Word"),
        ("Số liệu.xls", doc_bytes(), "Excel"),
        ("Số liệu.xlsx", docx_bytes(), "Excel"),
    ],
    ids=["pdf-as-doc", "png-as-docx", "doc-as-xls", "docx-as-xlsx"],
)
def test_it_refuses_a_file_named_as_a_document_it_is_not(
    client, report, reporter, name, content, family
):
    client.force_login(reporter)
    html = error_of(upload(client, report, name, content))
    assert f"nhưng nội dung không phải tài liệu {family}" in html
    assert not Attachment.objects.exists()


@pytest.mark.parametrize(
    ("name", "content", "extension"),
    [
        ("cu.doc", docx_bytes(), "docx"),
        ("moi.docx", doc_bytes(), "doc"),
        ("bang.xls", xlsx_bytes(), "xlsx"),
    ],
)
def test_it_takes_a_word_or_excel_file_saved_under_the_other_extension(name, content, extension):
    assert check_upload(SimpleUploadedFile(name, content))[0] == extension


def test_the_form_offers_the_old_formats(client, report, reporter):
    client.force_login(reporter)
    html = client.get(reverse("reports:attachment_list", args=[report.pk])).content.decode()
    assert 'accept=".pdf,.jpg,.jpeg,.png,.doc,.docx,.xls,.xlsx"' in html
    assert "Chọn tệp" in html
    assert "Chưa chọn tệp" in html
    assert 'data-has-signed-scan="false"' in html


# --- The kind chosen from the file ----------------------------------------


def test_the_first_pdf_is_the_signed_copy_and_the_next_an_annex(client, report, reporter):
    client.force_login(reporter)
    upload(client, report, "Báo cáo đã ký.pdf", PDF)
    html = upload(client, report, "Tờ trình.pdf", PDF).content.decode()
    upload(client, report, "Số liệu.xls", xls_bytes())
    upload(client, report, "Số liệu mới.xlsx", xlsx_bytes())
    upload(client, report, "Ảnh.png", png_bytes())
    upload(client, report, "Phụ lục.doc", doc_bytes())

    kinds = dict(Attachment.objects.values_list("original_name", "kind"))
    assert kinds == {
        "Báo cáo đã ký.pdf": AttachmentKind.SIGNED_SCAN,
        "Tờ trình.pdf": AttachmentKind.ANNEX,
        "Số liệu.xls": AttachmentKind.FIGURES,
        "Số liệu mới.xlsx": AttachmentKind.FIGURES,
        "Ảnh.png": AttachmentKind.ANNEX,
        "Phụ lục.doc": AttachmentKind.ANNEX,
    }
    assert "Bản ký, đóng dấu" in html
    assert 'data-has-signed-scan="true"' in html


def test_the_users_choice_wins_over_the_file(client, report, reporter):
    client.force_login(reporter)
    upload(client, report, "Phụ lục 1.pdf", PDF, kind=AttachmentKind.ANNEX)
    upload(client, report, "Bản ký.pdf", PDF)  # still no signed copy: this one is
    upload(client, report, "Bảng.xlsx", xlsx_bytes(), kind=AttachmentKind.SIGNED_SCAN)
    kinds = dict(Attachment.objects.values_list("original_name", "kind"))
    assert kinds == {
        "Phụ lục 1.pdf": AttachmentKind.ANNEX,
        "Bản ký.pdf": AttachmentKind.SIGNED_SCAN,
        "Bảng.xlsx": AttachmentKind.SIGNED_SCAN,
    }


def test_the_signed_copy_is_per_report(client, two_communes):
    """Another commune's signed copy does not make this commune's first PDF an annex."""
    first, second, user_first, user_second = two_communes
    attachment_create(report=first, upload=SimpleUploadedFile("a.pdf", PDF), by=user_first)
    attachment_create(report=second, upload=SimpleUploadedFile("b.pdf", PDF), by=user_second)
    assert list(Attachment.objects.values_list("kind", flat=True)) == [
        AttachmentKind.SIGNED_SCAN,
        AttachmentKind.SIGNED_SCAN,
    ]


@pytest.fixture
def two_communes(published_plan, small_tree):
    """Two communes of the seed's tree, each with its reporter."""
    reports = Report.objects.filter(campaign=published_plan).select_related("unit")
    communes = [r for r in reports if r.unit.code in ("D1C1", "D1C2")]
    assert len(communes) == 2
    users = [MembershipFactory(unit=r.unit, role=Role.REPORTER).user for r in communes]
    return (*communes, *users)


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    extension=st.sampled_from(["pdf", "png", "jpg", "doc", "docx", "xls", "xlsx"]),
    has_signed_scan=st.booleans(),
)
def test_default_kind_files_only_a_pdf_as_the_signed_copy_and_only_once(extension, has_signed_scan):
    kind = default_kind(None, extension, has_signed_scan=has_signed_scan)
    assert kind in AttachmentKind.values
    assert (kind == AttachmentKind.SIGNED_SCAN) == (extension == "pdf" and not has_signed_scan)
    assert (kind == AttachmentKind.FIGURES) == (extension in {"xls", "xlsx"})
