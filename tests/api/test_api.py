"""The API for e-office systems: tokens, scope, answers, submission, board,
documents, throttling, pages (see api/)."""

from __future__ import annotations

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from api import services
from campaigns.models import AnswerType
from orgunits.models import Role
from reports.models import Report, ReportStatus
from tests.api.conftest import client_for

pytestmark = pytest.mark.django_db

PLANS = "/api/v1/plans/"
REPORTS = "/api/v1/reports/"


def answer_url(report: Report, item_id: int) -> str:
    return reverse("api:answer", args=[report.pk, item_id])


# --- Authentication ---------------------------------------------------------


def test_without_a_token_the_answer_is_401_in_vietnamese(commune_system):
    response = APIClient().get(PLANS)
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert response.json() == {
        "detail": "Hãy gửi mã truy cập: Authorization: Bearer …",
        "code": "not_authenticated",
    }


def test_a_wrong_or_malformed_token_is_401(commune_system):
    client, token = commune_system
    wrong = token[:-4] + ("aaaa" if not token.endswith("aaaa") else "bbbb")
    for bad in (wrong, "tk_nothing", "abc", f"tk_{'0' * 16}_secret"):
        response = client_for(bad).get(PLANS)
        assert response.status_code == 401, bad
        assert response.json()["code"] == "authentication_failed"


def test_a_revoked_token_is_401_and_a_rotated_one_stops_working(commune_system):
    client, token = commune_system
    assert client_for(token).get(PLANS).status_code == 200
    new = services.rotate_token(client)
    assert client_for(token).get(PLANS).status_code == 401
    assert client_for(new).get(PLANS).status_code == 200
    services.revoke(client)
    response = client_for(new).get(PLANS)
    assert response.status_code == 401
    assert response.json()["detail"] == "Mã truy cập này đã bị thu hồi."


def test_a_signed_in_person_without_a_token_gets_401(client, people, commune_system):
    """The API reads no session: a browser's cookie is no credential here."""
    client.force_login(people["approver"])
    assert client.get(PLANS).status_code == 401


def test_the_service_user_holds_no_membership(commune_system):
    """Its scope is its client's: it is never notified, chased or listed as a member."""
    client, _token = commune_system
    assert not client.user.memberships.exists()
    assert not client.user.has_usable_password()


# --- Scope ------------------------------------------------------------------


def test_plans_are_those_the_pages_show_and_another_province_s_is_404(
    district_api, published_plan, other_plan
):
    listed = district_api.get(PLANS).json()
    assert [plan["id"] for plan in listed["results"]] == [published_plan.pk]
    assert district_api.get(f"{PLANS}{other_plan.pk}/").status_code == 404
    for tail in ("outline/", "board/", "pdf/"):
        response = district_api.get(f"{PLANS}{other_plan.pk}/{tail}")
        assert response.status_code == 404
        assert response.json()["detail"] == "Không tìm thấy, hoặc hệ thống này không được xem."


def test_reports_are_those_of_the_client_s_subtree(district_api, published_plan, small_tree):
    listed = district_api.get(REPORTS, {"page_size": 200}).json()
    codes = sorted(r["unit"]["code"] for r in listed["results"])
    assert codes == ["D1", "D1C1", "D1C2"]
    outside = Report.objects.get(campaign=published_plan, unit=small_tree["D2C1"])
    assert district_api.get(f"{REPORTS}{outside.pk}/").status_code == 404
    assert district_api.get(f"{REPORTS}{outside.pk}/answers/").status_code == 404


def test_a_client_over_two_subtrees_sees_both_and_nothing_between(
    small_tree, published_plan, other_plan, other_province
):
    """Scopes in two provinces: the commune D2C2 and the other province's commune."""
    from orgunits.models import OrgUnit

    qdc = OrgUnit.objects.get(code="QDC")
    _client, token = services.create_client(
        name="Hai nơi", scopes=[(small_tree["D2C2"], Role.VIEWER), (qdc, Role.VIEWER)]
    )
    api = client_for(token)
    codes = sorted(r["unit"]["code"] for r in api.get(REPORTS).json()["results"])
    assert codes == ["D2C2", "QDC"]
    # The plans they answer, issued above them, as on the pages.
    assert sorted(p["id"] for p in api.get(PLANS).json()["results"]) == sorted(
        [published_plan.pk, other_plan.pk]
    )


def test_junk_ids_are_404_not_errors(district_api, published_plan):
    for junk in ("abc", "0", "-1", str(2**70), "１２"):
        assert district_api.get(f"{PLANS}{junk}/").status_code == 404, junk
        assert district_api.get(f"{REPORTS}{junk}/").status_code == 404, junk


# --- Lists: filters and pages -------------------------------------------------


def test_reports_filter_by_status_unit_and_plan(district_api, published_plan, commune_report):
    commune_report.status = ReportStatus.DRAFT
    commune_report.save()
    drafts = district_api.get(REPORTS, {"status": "draft"}).json()
    assert [r["id"] for r in drafts["results"]] == [commune_report.pk]
    by_unit = district_api.get(REPORTS, {"unit": "D1C2"}).json()
    assert [r["unit"]["code"] for r in by_unit["results"]] == ["D1C2"]
    assert district_api.get(REPORTS, {"plan": published_plan.pk}).json()["count"] == 3
    assert district_api.get(REPORTS, {"plan": published_plan.pk + 999}).json()["count"] == 0
    bad = district_api.get(REPORTS, {"status": "nope", "plan": "x"})
    assert bad.status_code == 400
    assert set(bad.json()["errors"]) == {"status", "plan"}


def test_lists_are_paged(district_api, published_plan):
    first = district_api.get(REPORTS, {"page_size": 2}).json()
    assert first["count"] == 3
    assert len(first["results"]) == 2
    assert first["next"]
    second = district_api.get(first["next"]).json()
    assert len(second["results"]) == 1
    assert second["next"] is None
    assert district_api.get(REPORTS, {"page": 9}).status_code == 404


def test_the_outline_and_deadlines(district_api, published_plan):
    plan = district_api.get(f"{PLANS}{published_plan.pk}/").json()
    assert {d["level"] for d in plan["deadlines"]} >= {"co-so", "huyen"}
    outline = district_api.get(f"{PLANS}{published_plan.pk}/outline/").json()
    assert len(outline) == published_plan.outline_items.count()
    assert outline[0]["depth"] == 0
    assert outline[0]["parent"] is None


# --- Answers ----------------------------------------------------------------


def _first_item(report: Report, answer_type: str) -> int:
    from tests.factories import item_of_type

    return item_of_type(report.plan, answer_type).pk


def test_an_answer_is_saved_with_its_version_and_a_stale_one_is_409(
    commune_api, commune_report, text_item
):
    url = answer_url(commune_report, text_item.pk)
    first = commune_api.put(url, {"version": 0, "text": "<p>Đã triển khai</p>"}, format="json")
    assert first.status_code == 200, first.content
    assert first.json()["version"] == 1
    stale = commune_api.put(url, {"version": 0, "text": "<p>Khác</p>"}, format="json")
    assert stale.status_code == 409
    body = stale.json()
    assert body["code"] == "version_conflict"
    assert body["detail"].startswith("Người khác đã lưu mục này trong lúc đồng chí soạn")
    assert body["answer"]["text"] == "<p>Đã triển khai</p>"
    again = commune_api.put(url, {"version": 1, "text": "<p>Mới</p>"}, format="json")
    assert again.json()["version"] == 2
    commune_report.refresh_from_db()
    assert commune_report.status == ReportStatus.DRAFT


def test_an_answer_is_checked_by_the_form_s_rules(commune_api, commune_report):
    item_id = _first_item(commune_report, AnswerType.INTEGER)
    url = answer_url(commune_report, item_id)
    negative = commune_api.put(url, {"version": 0, "number": "-3"}, format="json")
    assert negative.status_code == 400
    assert "Số lượng không thể là số âm." in negative.json()["errors"]["answer"]
    huge = commune_api.put(url, {"version": 0, "number": "10000000000000"}, format="json")
    assert huge.status_code == 400
    decimal = commune_api.put(url, {"version": 0, "number": "12.5"}, format="json")
    assert decimal.status_code == 400  # a whole number, as the form says
    ok = commune_api.put(url, {"version": 0, "number": 12}, format="json")
    assert ok.status_code == 200
    assert ok.json()["number"] == "12.0000"


def test_a_decimal_answer_keeps_its_decimals(commune_api, commune_report):
    item_id = _first_item(commune_report, AnswerType.DECIMAL)
    ok = commune_api.put(
        answer_url(commune_report, item_id), {"version": 0, "number": "12.5"}, format="json"
    )
    assert ok.status_code == 200, ok.content
    assert ok.json()["number"] == "12.5000"


def test_a_viewer_may_read_but_not_write(district_api, commune_report, text_item):
    assert district_api.get(f"{REPORTS}{commune_report.pk}/answers/").status_code == 200
    response = district_api.put(
        answer_url(commune_report, text_item.pk), {"version": 0, "text": "x"}, format="json"
    )
    assert response.status_code == 403
    assert response.json()["detail"] == "Hệ thống này không được làm việc đó."


def test_an_item_of_another_plan_is_404(commune_api, commune_report, other_plan):
    foreign = other_plan.outline_items.filter(is_heading=False).first()
    response = commune_api.put(
        answer_url(commune_report, foreign.pk), {"version": 0, "text": "x"}, format="json"
    )
    assert response.status_code == 404


# --- Submission -------------------------------------------------------------


def _value_for(row: dict, years: range) -> dict:
    kind = row["answer_type"]
    return {
        AnswerType.TEXT: {"text": "<p>Nội dung</p>"},
        AnswerType.INTEGER: {"number": 3},
        AnswerType.DECIMAL: {"number": "1.5"},
        AnswerType.INTEGER_PER_YEAR: {"per_year": {str(year): 2 for year in years}},
        AnswerType.BOOLEAN: {"boolean": True},
        AnswerType.CHOICE: {"choice": (row["choices"] or [""])[0]},
        AnswerType.POINTS: {"points": ["Một ý"]},
    }[kind]


def test_submit_refuses_missing_items_then_submits(commune_api, commune_report):
    url = f"{REPORTS}{commune_report.pk}/submit/"
    refused = commune_api.post(url)
    assert refused.status_code == 409
    assert refused.json()["detail"].startswith("Cần trả lời các mục bắt buộc trước")
    rows = commune_api.get(f"{REPORTS}{commune_report.pk}/answers/").json()
    plan = commune_report.plan
    years = range(plan.period_start, plan.period_end + 1)
    for row in rows:
        if row["required"]:
            saved = commune_api.put(
                answer_url(commune_report, row["item"]),
                {"version": 0, **_value_for(row, years)},
                format="json",
            )
            assert saved.status_code == 200, (row, saved.content)
    submitted = commune_api.post(url)
    assert submitted.status_code == 200, submitted.content
    assert submitted.json()["status"] == "submitted"
    commune_report.refresh_from_db()
    assert commune_report.submitted_by.integration_client.name == "VP điện tử xã D1C1"
    twice = commune_api.post(url)
    assert twice.status_code == 409


def test_a_reporter_may_write_but_not_submit(small_tree, commune_report, text_item):
    _client, token = services.create_client(
        name="Chỉ soạn", scopes=[(small_tree["D1C1"], Role.REPORTER)]
    )
    api = client_for(token)
    saved = api.put(answer_url(commune_report, text_item.pk), {"version": 0, "text": "a"}, "json")
    assert saved.status_code == 200
    assert api.post(f"{REPORTS}{commune_report.pk}/submit/").status_code == 403


# --- Board and documents ------------------------------------------------------


def test_the_board_counts_the_client_s_subtree(district_api, published_plan, commune_report):
    commune_report.status = ReportStatus.DRAFT
    commune_report.save()
    board = district_api.get(f"{PLANS}{published_plan.pk}/board/").json()
    assert board["total"] == 3
    assert board["statuses"]["draft"] == 1
    assert board["statuses"]["pending"] == 2
    assert {level["level"]: level["total"] for level in board["levels"]} == {"huyen": 1, "co-so": 2}


def test_the_plan_and_report_pdfs(district_api, published_plan, commune_report):
    plan_pdf = district_api.get(f"{PLANS}{published_plan.pk}/pdf/")
    assert plan_pdf.status_code == 200
    assert plan_pdf["Content-Type"] == "application/pdf"
    assert b"".join(plan_pdf.streaming_content).startswith(b"%PDF")
    report_pdf = district_api.get(f"{REPORTS}{commune_report.pk}/pdf/")
    assert report_pdf.status_code == 200
    assert "bao-cao-d1c1.pdf" in report_pdf["Content-Disposition"]


def test_builds_are_for_those_who_lead_the_unit(district_api, commune_api, commune_report):
    # The district's viewer leads D1's consolidation; the commune's approver does not.
    district = Report.objects.get(campaign=commune_report.campaign, unit__code="D1")
    assert district_api.get(f"{REPORTS}{district.pk}/builds/").json() == []
    assert commune_api.get(f"{REPORTS}{district.pk}/builds/").status_code == 404
    missing = district_api.get(reverse("api:build_file", args=[district.pk, 99]))
    assert missing.status_code == 404


# --- Throttling ---------------------------------------------------------------


def test_a_client_over_its_rate_is_429(commune_system):
    client, token = commune_system
    client.rate_per_minute = 3
    client.save()
    api = client_for(token)
    assert [api.get(PLANS).status_code for _ in range(3)] == [200, 200, 200]
    response = api.get(PLANS)
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert response.json()["detail"].startswith("Quá nhiều yêu cầu")


def test_the_rate_is_per_client(commune_system, district_system):
    commune, commune_token = commune_system
    commune.rate_per_minute = 1
    commune.save()
    assert client_for(commune_token).get(PLANS).status_code == 200
    assert client_for(commune_token).get(PLANS).status_code == 429
    assert client_for(district_system[1]).get(PLANS).status_code == 200


# --- Schema and docs ------------------------------------------------------------


def test_the_schema_and_the_docs_are_served(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    assert "/api/v1/reports/{id}/answers/{item_id}/" in paths
    assert schema.json()["components"]["securitySchemes"]["clientToken"]["scheme"] == "bearer"
    docs = client.get("/api/docs/")
    assert docs.status_code == 200
    html = docs.content.decode()
    assert "vendor/swagger-ui/swagger-ui-bundle.js" in html
    assert "<script>" not in html
    assert "Content-Security-Policy" in docs.headers


def test_a_version_nobody_saved_is_a_conflict_not_an_error(commune_api, commune_report, text_item):
    """Found by the schema's fuzzing: a first save claiming version 7 was a 500."""
    url = answer_url(commune_report, text_item.pk)
    response = commune_api.put(url, {"version": 7, "text": "<p>x</p>"}, format="json")
    assert response.status_code == 409
    assert response.json()["answer"]["version"] == 0
    assert not commune_report.answers.exists()


# --- Constant costs and the admin -------------------------------------------------


def test_the_lists_cost_the_same_queries_whatever_the_tree(
    levels, today, django_assert_max_num_queries
):
    """A province of 60 communes: a page of 50 reports, the board, the plans."""
    from tests.factories import build_province, publish_plan

    province = build_province(levels, communes=60, prefix="Z")
    plan = publish_plan(province, grassroots_due=today.replace(year=today.year + 1))
    _client, token = services.create_client(name="Tỉnh Z", scopes=[(province, Role.VIEWER)])
    api = client_for(token)
    api.get(PLANS)  # the first request of a client writes its last use
    with django_assert_max_num_queries(8):
        listed = api.get(REPORTS).json()
    assert listed["count"] == 71
    assert len(listed["results"]) == 50
    with django_assert_max_num_queries(8):
        board = api.get(f"{PLANS}{plan.pk}/board/").json()
    assert board["total"] == 71
    with django_assert_max_num_queries(8):
        assert api.get(PLANS).json()["count"] == 1


def test_a_system_made_in_the_admin_shows_its_token_once(admin_client, small_tree):
    from api.models import IntegrationClient

    response = admin_client.post(
        "/admin/api/integrationclient/add/",
        {
            "name": "VP điện tử tỉnh",
            "is_active": "on",
            "rate_per_minute": "60",
            "webhook_url": "",
            "webhook_secret": "",
            "scopes-TOTAL_FORMS": "1",
            "scopes-INITIAL_FORMS": "0",
            "scopes-0-unit": small_tree["P"].code,
            "scopes-0-role": Role.VIEWER,
        },
        follow=True,
    )
    assert response.status_code == 200
    client = IntegrationClient.objects.get(name="VP điện tử tỉnh")
    assert list(client.scopes.values_list("unit__code", flat=True)) == ["P"]
    shown = [str(m) for m in response.context["messages"]]
    token = next(m.split(": ")[-1] for m in shown if "chỉ hiện một lần" in m)
    assert client_for(token).get(PLANS).status_code == 200
    assert (
        token
        not in admin_client.get(
            f"/admin/api/integrationclient/{client.pk}/change/"
        ).content.decode()
    )


def test_a_malformed_body_is_told_in_vietnamese(commune_api, commune_report, text_item):
    url = answer_url(commune_report, text_item.pk)
    response = commune_api.put(url, {"version": "x", "points": "một"}, format="json")
    assert response.status_code == 400
    assert response.json()["detail"] == "Yêu cầu không hợp lệ."
    assert response.json()["errors"]["version"] == ["Cần một số nguyên hợp lệ."]
    not_json = commune_api.generic("PUT", url, "{", content_type="application/json")
    assert not_json.status_code == 400
    assert not_json.json()["detail"] == "Nội dung gửi lên không phải JSON hợp lệ."


def test_a_nul_in_a_parameter_is_a_json_400(district_api, published_plan):
    response = district_api.get(REPORTS, {"unit": "D1\x00"})
    assert response.status_code == 400
    assert response.json() == {"detail": "Yêu cầu không hợp lệ.", "code": "invalid"}


def test_the_schema_is_valid_openapi_and_its_generation_warns_of_nothing(tmp_path):
    from django.core.management import call_command

    out = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))
    assert "/api/v1/plans/{id}/board/" in out.read_text()
