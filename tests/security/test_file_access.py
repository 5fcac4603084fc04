"""Stored files are served only by views that check access (issue #16, item 1).

No route serves MEDIA_URL, whatever DEBUG says; an attachment or a
consolidated build answers 302 (to the login page) to an anonymous client and
404 to a user outside its scope, with DEBUG on and off; stored names carry a
random folder.
"""

import importlib

import pytest
from django.core.files.base import ContentFile
from django.test import override_settings
from django.urls import clear_url_caches, reverse

import config.urls
from consolidation.models import BuildStatus, DocumentBuild
from orgunits.models import Role
from reports.models import Attachment, Report
from tests.factories import MembershipFactory, add_unit

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%%EOF\n"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def urls_as_under_debug(settings):
    """config.urls imported again with DEBUG on, as `make run` imports it."""
    settings.DEBUG = True
    importlib.reload(config.urls)
    clear_url_caches()
    yield
    settings.DEBUG = False
    importlib.reload(config.urls)
    clear_url_caches()


@pytest.fixture
def files(published_plan, small_tree):
    commune = Report.objects.get(campaign=published_plan, unit=small_tree["D1C1"])
    province = Report.objects.get(campaign=published_plan, unit=small_tree["P"])
    attachment = Attachment(
        report=commune, original_name="Báo cáo đã ký.pdf", content_type="application/pdf", size=15
    )
    attachment.file.save("Bao_cao_da_ky.pdf", ContentFile(PDF), save=False)
    attachment.save()
    build = DocumentBuild.objects.create(report=province, fmt="pdf", status=BuildStatus.DONE)
    build.file.save(build.download_name, ContentFile(PDF), save=False)
    build.save()
    return {
        "attachment": (
            reverse("reports:attachment_download", args=[commune.pk, attachment.pk]),
            attachment.file.name,
        ),
        "build": (
            reverse("consolidation:build_download", args=[province.pk, build.pk]),
            build.file.name,
        ),
    }


@pytest.fixture
def outsiders(levels, small_tree):
    other_province = add_unit(None, "Q", levels["tinh"], name="Tỉnh ủy Kon Tum", symbol="TU")
    return {
        "other province": MembershipFactory(unit=other_province, role=Role.COORDINATOR).user,
        "other district": MembershipFactory(unit=small_tree["D2"], role=Role.COORDINATOR).user,
    }


@pytest.mark.parametrize("debug", [True, False])
@pytest.mark.parametrize("which", ["attachment", "build"])
def test_an_outsider_never_gets_a_stored_file(client, files, outsiders, debug, which):
    url, name = files[which]
    with override_settings(DEBUG=debug):
        anonymous = client.get(url)
        assert anonymous.status_code == 302
        assert anonymous["Location"].startswith(reverse("login"))
        assert client.get(f"/media/{name}").status_code == 404
        for user in outsiders.values():
            client.force_login(user)
            assert client.get(url).status_code in (403, 404)
            assert client.get(f"/media/{name}").status_code == 404


@pytest.mark.parametrize("which", ["attachment", "build"])
def test_media_is_not_routed_even_when_the_urls_load_under_debug(
    client, files, urls_as_under_debug, which
):
    url, name = files[which]
    assert client.get(f"/media/{name}").status_code == 404
    assert client.get(url).status_code == 302


def test_a_member_gets_the_file_through_its_view(client, files, small_tree, people):
    client.force_login(people["district_coordinator"])  # D1 reaches D1C1
    response = client.get(files["attachment"][0])
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    client.force_login(MembershipFactory(unit=small_tree["P"], role=Role.COORDINATOR).user)
    response = client.get(files["build"][0])
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")


def test_stored_names_have_a_random_folder(files, published_plan, small_tree):
    attachment_name, build_name = files["attachment"][1], files["build"][1]
    commune = Report.objects.get(campaign=published_plan, unit=small_tree["D1C1"])
    assert attachment_name.startswith(f"reports/{published_plan.pk}/D1C1/")
    assert attachment_name.endswith("/Bao_cao_da_ky.pdf")
    token = attachment_name.split("/")[3]
    assert len(token) >= 20
    again = Attachment(
        report=commune, original_name="x.pdf", content_type="application/pdf", size=1
    )
    again.file.save("Bao_cao_da_ky.pdf", ContentFile(PDF), save=False)
    assert again.file.name.split("/")[3] != token
    assert build_name.startswith(f"consolidated/{published_plan.pk}/P/")
    assert len(build_name.split("/")[3]) >= 20


def test_a_file_kept_under_its_old_name_is_still_served(client, files, people, tmp_path):
    attachment = Attachment.objects.get()
    old = f"reports/{attachment.report.campaign_id}/D1C1/old.pdf"
    (tmp_path / old).parent.mkdir(parents=True, exist_ok=True)
    (tmp_path / old).write_bytes(PDF)
    Attachment.objects.filter(pk=attachment.pk).update(file=old)
    client.force_login(people["district_coordinator"])
    response = client.get(files["attachment"][0])
    assert b"".join(response.streaming_content) == PDF


@pytest.mark.parametrize(
    ("mode", "header", "expected"),
    [
        ("nginx", "X-Accel-Redirect", "/protected/{name}"),
        ("apache", "X-Sendfile", "{root}/{name}"),
    ],
)
def test_the_web_server_may_send_the_file_after_the_check(
    client, files, people, settings, tmp_path, mode, header, expected
):
    settings.FILE_SENDFILE = mode
    url, name = files["attachment"]
    client.force_login(people["district_coordinator"])
    response = client.get(url)
    assert response.status_code == 200
    assert response[header] == expected.format(name=name, root=tmp_path)
    assert response.content == b""
    assert "attachment;" in response["Content-Disposition"]
    client.force_login(people["other_district"])
    response = client.get(url)
    assert response.status_code == 404
    assert header not in response
