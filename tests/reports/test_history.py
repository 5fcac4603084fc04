"""The report's history shows what each saved version changed, and who changed it."""

import pytest
from django.urls import reverse

from reports import services
from reports.selectors import items_for_unit
from tests.reports.test_workflow import fill_required

pytestmark = pytest.mark.django_db


def report_events(client, report) -> list[dict]:
    response = client.get(reverse("reports:history", args=[report.pk]))
    return [event for event in response.context["events"] if event["what"] == "report"]


def changes_of(event) -> list[tuple[str, str]]:
    return [(change.label, change.value) for change in event["changes"]]


def test_saving_the_document_info_after_a_return_shows_the_saver_and_the_new_number(
    client, commune_report, people
):
    commune_report.unit.symbol = "ĐU"
    commune_report.unit.save()
    fill_required(commune_report, people["reporter"])
    services.submit(
        report=commune_report, rows=items_for_unit(commune_report), by=people["approver"]
    )
    services.send_back(
        report=commune_report, by=people["district_coordinator"], overall="Bổ sung", per_item={}
    )
    commune_report.refresh_from_db()
    client.force_login(people["approver"])
    client.post(
        reverse("reports:document_info", args=[commune_report.pk]),
        {
            "number": "7",
            "issuer_symbol": "ĐU",
            "issued_on": f"{commune_report.issued_on:%Y-%m-%d}",
            "sign_on_behalf": commune_report.sign_on_behalf,
            "signer_position": commune_report.signer_position,
            "signer_name": commune_report.signer_name,
            "recipients": "",
        },
    )
    commune_report.refresh_from_db()
    assert commune_report.number_symbol == "07-BC/ĐU"

    html = client.get(reverse("reports:history", args=[commune_report.pk])).content.decode()
    newest_entry = html.split('data-testid="timeline">')[1].split("</li>")[0]
    assert people["approver"].get_full_name() in newest_entry
    assert "Số/Ký hiệu: <strong>07-BC/ĐU</strong>" in newest_entry
    assert "Trạng thái" not in newest_entry

    newest, returned, submitted = report_events(client, commune_report)[:3]
    assert newest["who"] == people["approver"]
    assert changes_of(newest) == [("Số/Ký hiệu", "07-BC/ĐU")]  # no status line
    assert returned["who"] == people["district_coordinator"]
    assert changes_of(returned) == [("Trạng thái", "Bị trả lại")]
    assert submitted["who"] == people["approver"]
    assert ("Trạng thái", "Đã nộp") in changes_of(submitted)
    assert ("Số/Ký hiệu", "01-BC/ĐU") in changes_of(submitted)


def test_a_save_that_changes_nothing_adds_no_entry(client, commune_report, people):
    client.force_login(people["reporter"])
    commune_report.save()  # a first version, shown with its status
    before = len(report_events(client, commune_report))
    commune_report.save()
    assert commune_report.history.count() == 2
    assert len(report_events(client, commune_report)) == before
