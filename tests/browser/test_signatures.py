"""Signed documents in the browser: a commune attaches its signed report and
the card says who signed it (or that it was changed after signing); the
commune's coordinator uploads the body's signing certificate, first with a
wrong passphrase. The certificate authority is the tests' own."""

import datetime
import os
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from playwright.sync_api import expect

from orgunits import demo
from orgunits.bodies import default_body
from orgunits.models import OrgUnit
from reports.models import Report
from signatures.admin import TrustedRootForm
from signatures.models import SigningCertificate
from tests.browser import axe
from tests.browser.conftest import log_in
from tests.factories import PlanFactory
from tests.signatures.ca import make_root, make_signer, pkcs12_of
from tests.signatures.conftest import signed_pdf

ARTIFACTS = Path(os.environ.get("TEST_ARTIFACTS", "test-artifacts"))
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSPHRASE = "Mật khẩu đúng"


@pytest.fixture
def authority():
    root = make_root()
    return root, pkcs12_of(make_signer(root, "Đinh Văn Hùng"), root, PASSPHRASE)


@pytest.fixture
def commune_report(demo_province):
    day = datetime.timedelta(days=1)
    today = timezone.localdate()
    plan = PlanFactory(
        issuing_unit=OrgUnit.objects.get(code="GL"),
        seed000=True,
        issued_on=today - 7 * day,
        deadlines={"co-so": today + 5 * day, "huyen": today + 12 * day, "tinh": today + 20 * day},
        published_by=get_user_model().objects.get(username="tinh.dieuphoi"),
    )
    return Report.objects.get(campaign=plan, unit__code=demo.DEMO_COMMUNE)


def test_a_signed_report_shows_its_signer_and_a_changed_one_shows_it_is_broken(
    page, live_server, commune_report, authority, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path
    root, p12 = authority
    form = TrustedRootForm(data={"name": "CA thử nghiệm", "pem": root.pem, "is_active": True})
    assert form.is_valid()
    form.save()
    signed = tmp_path / "Báo cáo đã ký số.pdf"
    signed.write_bytes(signed_pdf(p12, PASSPHRASE))
    changed = bytearray(signed.read_bytes())
    changed[changed.index(b"\n") + 2] ^= 0x01
    tampered = tmp_path / "Báo cáo bị sửa.pdf"
    tampered.write_bytes(bytes(changed))

    log_in(page, live_server, "xa.baocao", demo.PASSWORD)
    page.goto(f"{live_server.url}/bao-cao/{commune_report.pk}/")
    card = page.get_by_test_id("report-attachments")
    card.get_by_test_id("attachment-file").set_input_files(str(signed))
    card.get_by_role("button", name="Đính kèm").click()
    note = page.locator('[data-testid=signature-note][data-verdict="valid"]')
    expect(note).to_contain_text("Đã ký số bởi Đinh Văn Hùng lúc")

    card = page.get_by_test_id("report-attachments")
    card.get_by_test_id("attachment-file").set_input_files(str(tampered))
    card.get_by_role("button", name="Đính kèm").click()
    broken = page.locator('[data-testid=signature-note][data-verdict="modified"]')
    expect(broken).to_contain_text("Chữ ký không hợp lệ: tài liệu đã bị sửa sau khi ký.")
    assert axe.blocking(axe.check(page)) == []
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "signature-notes.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.get_by_test_id("report-attachments").scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "signature-notes-phone.png"), full_page=True)


def test_the_coordinator_uploads_the_body_certificate(
    page, live_server, demo_province, authority, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path
    _root, p12 = authority
    body = default_body(OrgUnit.objects.get(code=demo.DEMO_COMMUNE))
    key = tmp_path / "chu-ky-so.p12"
    key.write_bytes(p12)

    log_in(page, live_server, "xa.dieuphoi", demo.PASSWORD)
    page.goto(f"{live_server.url}/don-vi/{demo.DEMO_COMMUNE}/co-quan-ban-hanh/")
    page.get_by_role("link", name="Chứng thư số ký").first.click()
    upload = page.get_by_test_id("certificate-upload")
    upload.locator("input[type=file]").set_input_files(str(key))
    upload.get_by_label("Mật khẩu của tệp").fill("sai")
    upload.get_by_role("button", name="Lưu chứng thư số").click()
    expect(page.get_by_test_id("field-error")).to_contain_text("Mật khẩu không mở được tệp này")
    assert not SigningCertificate.objects.exists()
    assert axe.blocking(axe.check(page)) == []
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "certificate-wrong-passphrase.png"), full_page=True)

    upload = page.get_by_test_id("certificate-upload")
    upload.locator("input[type=file]").set_input_files(str(key))
    upload.get_by_label("Mật khẩu của tệp").fill(PASSPHRASE)
    upload.get_by_role("button", name="Lưu chứng thư số").click()
    expect(page.get_by_test_id("certificate-current")).to_contain_text("Đinh Văn Hùng")
    assert SigningCertificate.objects.get(is_active=True).body == body
    assert PASSPHRASE not in page.content()
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=str(ARTIFACTS / "certificate-phone.png"), full_page=True)
