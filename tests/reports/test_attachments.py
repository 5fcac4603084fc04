"""Attachments of a unit report: what is accepted, by content, and who may touch it."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from docx import Document
from openpyxl import Workbook
from PIL import Image

from campaigns.models import PlanStatus
from orgunits.models import Role
from reports.attachments import attachment_names
from reports.models import Attachment, AttachmentKind, Report, ReportStatus
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

NEXT = "/ke-hoach/"
HTMX = {"HTTP_HX_REQUEST": "true"}
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def member(unit, role=Role.REPORTER):
    return MembershipFactory(unit=unit, role=role).user


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, format="PNG")
    return buffer.getvalue()


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    Document().save(buffer)
    return buffer.getvalue()


def xlsx_bytes() -> bytes:
    buffer = io.BytesIO()
    Workbook().save(buffer)
    return buffer.getvalue()


def zip_bytes(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def macro_docx_bytes() -> bytes:
    """A .docm (Word with macros) as Word saves it, to be named .docx."""
    with zipfile.ZipFile(io.BytesIO(docx_bytes())) as archive:
        entries = {name: archive.read(name) for name in archive.namelist()}
    entries["[Content_Types].xml"] = entries["[Content_Types].xml"].replace(
        b"wordprocessingml.document.main+xml", b"ms-word.document.macroEnabled.main+xml"
    )
    entries["word/vbaProject.bin"] = b"\xd0\xcf\x11\xe0 macro"
    return zip_bytes(entries)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def stored_files(tmp_path):
    return lambda: sorted(p.name for p in tmp_path.rglob("*") if p.is_file())


@pytest.fixture
def plan(published_plan):
    """Seed 000, published (tests/conftest.py)."""
    return published_plan


@pytest.fixture
def report(plan, small_tree):
    return Report.objects.get(campaign=plan, unit=small_tree["D1C1"])


@pytest.fixture
def reporter(small_tree):
    return member(small_tree["D1C1"])


def upload(client, report, name, content, *, kind=AttachmentKind.ANNEX, htmx=True):
    return client.post(
        reverse("reports:attachment_upload", args=[report.pk]),
        {"file": SimpleUploadedFile(name, content), "kind": kind, "next": NEXT},
        **(HTMX if htmx else {}),
    )


@pytest.mark.parametrize(
    ("name", "make", "extension", "content_type"),
    [
        ("Báo cáo đã ký.pdf", lambda: PDF, "pdf", "application/pdf"),
        ("ảnh chụp.png", png_bytes, "png", "image/png"),
        (
            "Phụ lục 1.docx",
            docx_bytes,
            "docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        (
            "Phụ lục 2.xlsx",
            xlsx_bytes,
            "xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
    ],
)
def test_it_attaches_a_genuine_file(
    client, report, reporter, stored_files, name, make, extension, content_type
):
    client.force_login(reporter)
    content = make()
    response = upload(client, report, name, content, kind=AttachmentKind.SIGNED_SCAN)

    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="attachment-error"' not in html
    assert 'data-testid="attachment-download"' in html
    attachment = Attachment.objects.get(report=report)
    assert attachment.original_name == name
    assert attachment.content_type == content_type
    assert attachment.size == len(content)
    assert attachment.kind == AttachmentKind.SIGNED_SCAN
    assert attachment.uploaded_by == reporter
    assert attachment.file.name.startswith(f"reports/{report.campaign_id}/D1C1/")
    assert attachment.file.name.endswith(f".{extension}")
    assert stored_files() == [attachment.file.name.rsplit("/", 1)[-1]]


def test_it_names_the_file_after_its_content(client, report, reporter):
    client.force_login(reporter)
    upload(client, report, "scan.jpeg.exe", png_bytes())
    attachment = Attachment.objects.get()
    assert attachment.original_name == "scan.jpeg.png"
    assert attachment.content_type == "image/png"


def test_it_keeps_vietnamese_letters_in_stored_names():
    # macOS sends decomposed letters; they must not lose their accents.
    assert attachment_names("Ba\u0301o ca\u0301o/../../x.pdf", "pdf") == ("x.pdf", "x.pdf")
    assert attachment_names("Ba\u0301o ca\u0301o số 45.PDF", "pdf") == (
        "Báo cáo số 45.pdf",
        "Báo_cáo_số_45.pdf",
    )
    assert attachment_names("..\\\n!!.pdf", "pdf") == ("!!.pdf", "attachment.pdf")


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("bao-cao.pdf", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + b"\x00" * 200),
        ("phu-luc.docx", b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 200),
        ("phu-luc.docx", zip_bytes({"readme.txt": b"hello"})),
        ("phu-luc.docx", macro_docx_bytes()),
        ("anh.png", b"Just some text, not an image.\n"),
        ("bang.xlsx", b"PK\x03\x04 broken zip"),
    ],
    ids=["exe-as-pdf", "elf-as-docx", "zip-as-docx", "docm-as-docx", "text-as-png", "bad-zip"],
)
def test_it_refuses_a_file_whose_content_is_not_allowed(
    client, report, reporter, stored_files, name, content
):
    client.force_login(reporter)
    response = upload(client, report, name, content)

    assert response.status_code == 200
    assert 'data-testid="attachment-error"' in response.content.decode()
    assert not Attachment.objects.exists()
    assert stored_files() == []


def test_it_refuses_a_file_over_the_size_limit(client, settings, report, reporter, stored_files):
    settings.REPORT_ATTACHMENT_MAX_BYTES = 100
    client.force_login(reporter)
    response = upload(client, report, "bao-cao.pdf", PDF + b"%" * 100)

    assert 'data-testid="attachment-error"' in response.content.decode()
    assert not Attachment.objects.exists()
    assert stored_files() == []


def test_it_redirects_a_plain_form_post_to_next(client, report, reporter):
    client.force_login(reporter)
    response = upload(client, report, "bao-cao.pdf", PDF, htmx=False)
    assert response.status_code == 302
    assert response["Location"] == NEXT
    assert Attachment.objects.count() == 1

    response = upload(client, report, "bao-cao.pdf", b"MZ" + b"\x00" * 100, htmx=False)
    assert response.status_code == 302
    assert Attachment.objects.count() == 1


def test_it_redirects_to_the_report_without_a_safe_next(client, report, reporter):
    client.force_login(reporter)
    response = client.post(
        reverse("reports:attachment_upload", args=[report.pk]),
        {
            "file": SimpleUploadedFile("bao-cao.pdf", PDF),
            "kind": AttachmentKind.ANNEX,
            "next": "https://example.com/",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("reports:detail", args=[report.pk])
    assert Attachment.objects.count() == 1


def test_it_downloads_the_file_under_its_name(client, report, reporter, small_tree):
    client.force_login(reporter)
    upload(client, report, "Báo cáo.pdf", PDF)
    attachment = Attachment.objects.get()

    # Anyone who can see the report may read it: here the district above.
    client.force_login(member(small_tree["D1"], Role.COORDINATOR))
    response = client.get(reverse("reports:attachment_download", args=[report.pk, attachment.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "B%C3%A1o%20c%C3%A1o.pdf" in response["Content-Disposition"]


def test_it_deletes_the_row_and_then_the_file(
    client, report, reporter, stored_files, django_capture_on_commit_callbacks
):
    client.force_login(reporter)
    upload(client, report, "bao-cao.pdf", PDF)
    attachment = Attachment.objects.get()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("reports:attachment_delete", args=[report.pk, attachment.pk]), **HTMX
        )
    assert response.status_code == 200
    assert 'data-testid="attachments-empty"' in response.content.decode()
    assert not Attachment.objects.exists()
    assert stored_files() == []


def test_it_lets_a_viewer_see_but_not_change(client, report, reporter, small_tree):
    client.force_login(reporter)
    upload(client, report, "bao-cao.pdf", PDF)
    attachment = Attachment.objects.get()

    client.force_login(member(small_tree["D1C1"], Role.VIEWER))
    response = client.get(reverse("reports:attachment_list", args=[report.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="attachment-download"' in html
    assert 'data-testid="attachment-upload"' not in html
    assert 'data-testid="attachment-delete"' not in html
    assert upload(client, report, "phu-luc.pdf", PDF).status_code == 403
    delete_url = reverse("reports:attachment_delete", args=[report.pk, attachment.pk])
    assert client.post(delete_url, **HTMX).status_code == 403
    assert Attachment.objects.count() == 1


def test_it_hides_a_report_from_another_commune(client, report, reporter, small_tree):
    client.force_login(reporter)
    upload(client, report, "bao-cao.pdf", PDF)
    attachment = Attachment.objects.get()

    client.force_login(member(small_tree["D2C1"], Role.APPROVER))
    assert client.get(reverse("reports:attachment_list", args=[report.pk])).status_code == 404
    download_url = reverse("reports:attachment_download", args=[report.pk, attachment.pk])
    assert client.get(download_url).status_code == 404
    assert upload(client, report, "phu-luc.pdf", PDF).status_code == 404
    delete_url = reverse("reports:attachment_delete", args=[report.pk, attachment.pk])
    assert client.post(delete_url, **HTMX).status_code == 404
    assert Attachment.objects.count() == 1


def test_it_does_not_serve_another_reports_attachment_under_this_report(
    client, plan, report, reporter, small_tree
):
    client.force_login(reporter)
    upload(client, report, "bao-cao.pdf", PDF)
    attachment = Attachment.objects.get()
    sibling = Report.objects.get(campaign=plan, unit=small_tree["D1"])

    # The district coordinator sees both reports, but the pair must match.
    client.force_login(member(small_tree["D1"], Role.COORDINATOR))
    url = reverse("reports:attachment_download", args=[sibling.pk, attachment.pk])
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("status", [ReportStatus.SUBMITTED, ReportStatus.ACCEPTED])
def test_it_refuses_changes_once_the_report_is_submitted(
    client, report, reporter, stored_files, status
):
    client.force_login(reporter)
    upload(client, report, "bao-cao.pdf", PDF)
    attachment = Attachment.objects.get()
    Report.objects.filter(pk=report.pk).update(status=status)

    response = upload(client, report, "phu-luc.pdf", PDF)
    assert response.status_code == 200
    assert 'data-testid="attachment-error"' in response.content.decode()
    response = client.post(
        reverse("reports:attachment_delete", args=[report.pk, attachment.pk]), **HTMX
    )
    assert 'data-testid="attachment-error"' in response.content.decode()
    assert list(Attachment.objects.all()) == [attachment]
    assert len(stored_files()) == 1

    html = client.get(reverse("reports:attachment_list", args=[report.pk])).content.decode()
    assert 'data-testid="attachment-upload"' not in html
    assert 'data-testid="attachments-locked"' in html


def test_it_refuses_uploads_once_the_plan_is_closed(client, plan, report, reporter, stored_files):
    plan.status = PlanStatus.CLOSED
    plan.save(update_fields=["status"])
    client.force_login(reporter)

    response = upload(client, report, "bao-cao.pdf", PDF)
    assert response.status_code == 200
    assert 'data-testid="attachment-error"' in response.content.decode()
    assert not Attachment.objects.exists()
    assert stored_files() == []


def test_it_lists_attachments_in_a_constant_number_of_queries(
    client, report, reporter, django_assert_max_num_queries
):
    client.force_login(reporter)
    for number in range(3):
        upload(client, report, f"phu-luc-{number}.pdf", PDF)

    # The signatures' notes: the verdicts kept (one query), and for files not
    # checked yet the trusted roots and one insert of the new verdicts.
    with django_assert_max_num_queries(10):
        response = client.get(reverse("reports:attachment_list", args=[report.pk]))
    assert response.content.decode().count('data-testid="attachment"') == 3
    with django_assert_max_num_queries(8):
        client.get(reverse("reports:attachment_list", args=[report.pk]))
