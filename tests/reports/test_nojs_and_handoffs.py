"""Issue #14: the report page without JavaScript (plain form posts, cards in
the first response), and the hand-offs between the reporter, the approver
and the level above."""

import datetime

import lxml.html
import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import override
from hypothesis import given
from hypothesis import strategies as st

from campaigns.models import AnswerType, FigureSource
from notifications.models import Notification, NotificationKind
from orgunits.models import Role
from reports import services
from reports.forms import plain_lines
from reports.models import Answer, Report, ReportStatus, ReviewComment
from tests.factories import MembershipFactory, add_unit

pytestmark = pytest.mark.django_db


def doc(response):
    assert response.status_code == 200
    return lxml.html.fromstring(response.content.decode())


def submitted(report, approver):
    report.submit(by=approver)
    return report


# --- 4. A per-year figure of the records -------------------------------------


def test_a_per_year_figure_without_records_shows_zero_each_year_not_braces(
    client, commune_report, people, published_plan
):
    item = published_plan.outline_items.get(figure_source=FigureSource.MEETINGS_PER_YEAR)
    client.force_login(people["reporter"])

    page = doc(client.get(reverse("reports:detail", args=[commune_report.pk])))

    computed = page.xpath(f'//*[@id="item-{item.pk}"]//*[@data-testid="computed"]')[0]
    text = computed.text_content()
    assert "{}" not in text
    years = range(published_plan.period_start, published_plan.period_end + 1)
    assert all(f"{year}: 0" in text for year in years)


# --- 5. Without JavaScript ---------------------------------------------------


def test_a_saved_rich_text_answer_is_readable_and_editable_in_noscript(
    client, commune_report, people, text_item
):
    Answer.objects.create(
        report=commune_report,
        item=text_item,
        version=1,
        text="<div><strong>Đã làm</strong> tốt</div>",
    )
    client.force_login(people["reporter"])
    html = client.get(reverse("reports:detail", args=[commune_report.pk])).content.decode()
    section = html[html.index(f'id="item-{text_item.pk}"') :]
    noscript = section[section.index("<noscript>") : section.index("</noscript>")]
    assert "<strong>Đã làm</strong> tốt" in noscript
    assert f'name="item{text_item.pk}-text_plain"' in noscript
    assert "Đã làm tốt</textarea>" in noscript


def test_a_plain_form_post_saves_the_textarea_and_comes_back_to_the_item(
    client, commune_report, people, text_item
):
    Answer.objects.create(report=commune_report, item=text_item, version=1, text="<div>cũ</div>")
    client.force_login(people["reporter"])
    prefix = f"item{text_item.pk}"
    url = reverse("reports:item", args=[commune_report.pk, text_item.pk])

    response = client.post(
        url,
        {
            f"{prefix}-version": "1",
            f"{prefix}-text": "<div>cũ</div>",  # the editor's hidden input, still posted
            f"{prefix}-text_plain": "Dòng một\r\nDòng <hai>",
        },
    )

    detail = reverse("reports:detail", args=[commune_report.pk])
    assert response.status_code == 302
    assert response["Location"] == f"{detail}#item-{text_item.pk}"
    answer = Answer.objects.get(report=commune_report, item=text_item)
    assert answer.text == "<div>Dòng một</div><div>Dòng &lt;hai&gt;</div>"
    assert answer.version == 2


def test_an_unchanged_textarea_keeps_the_formatting(client, commune_report, people, text_item):
    saved = "<div><strong>Đậm</strong> và thường</div><ul><li>một</li></ul>"
    Answer.objects.create(report=commune_report, item=text_item, version=1, text=saved)
    client.force_login(people["reporter"])
    prefix = f"item{text_item.pk}"
    # What the textarea showed, posted back as it was.
    client.post(
        reverse("reports:item", args=[commune_report.pk, text_item.pk]),
        {
            f"{prefix}-version": "1",
            f"{prefix}-text": saved,
            f"{prefix}-text_plain": plain_lines(saved),
        },
    )
    assert Answer.objects.get(report=commune_report, item=text_item).text == saved


def test_the_htmx_autosave_still_answers_with_the_fragment(
    client, commune_report, people, text_item
):
    client.force_login(people["reporter"])
    prefix = f"item{text_item.pk}"
    response = client.post(
        reverse("reports:item", args=[commune_report.pk, text_item.pk]),
        {f"{prefix}-version": "0", f"{prefix}-text": "<div>mới</div>"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert Answer.objects.get(report=commune_report, item=text_item).text == "<div>mới</div>"


def test_a_refused_plain_post_comes_back_with_the_error_as_a_message(
    client, commune_report, people, published_plan
):
    item = published_plan.outline_items.filter(answer_type=AnswerType.INTEGER_PER_YEAR).first()
    year = published_plan.period_start
    client.force_login(people["reporter"])
    response = client.post(
        reverse("reports:item", args=[commune_report.pk, item.pk]),
        {f"item{item.pk}-version": "0", f"item{item.pk}-year_{year}": "-3"},
    )
    assert response.status_code == 302
    page = doc(client.get(response["Location"]))
    assert "Số lượng không thể là số âm." in page.text_content()
    assert not Answer.objects.filter(report=commune_report, item=item).exists()


def test_the_attachments_card_is_in_the_first_response(client, commune_report, people):
    client.force_login(people["reporter"])
    page = doc(client.get(reverse("reports:detail", args=[commune_report.pk])))
    assert page.xpath('//*[@data-testid="report-attachments"]')
    assert page.xpath('//*[@data-testid="attachment-upload"]')
    assert not page.xpath('//*[@hx-trigger="load"]')


def test_the_consolidated_document_card_is_in_the_first_response(
    client, published_plan, small_tree, people
):
    district = Report.objects.get(campaign=published_plan, unit=small_tree["D1"])
    client.force_login(people["district_coordinator"])
    page = doc(client.get(reverse("consolidation:workspace", args=[district.pk])))
    assert page.xpath('//*[@data-testid="consolidated-builds"]//form')
    assert not page.xpath('//*[@hx-trigger="load"]')


def test_the_user_menu_is_a_details_element(client, people, commune_report):
    client.force_login(people["reporter"])
    page = doc(client.get(reverse("reports:inbox")))
    menu = page.xpath('//details[@data-testid="user-menu-details"]')[0]
    assert menu.xpath('./summary[@data-testid="user-menu"]')
    assert menu.xpath(f'.//form[@action="{reverse("logout")}"]')
    assert not page.xpath('//*[@data-bs-toggle="dropdown"]')


# --- 8. Hand-offs ------------------------------------------------------------


def test_the_reporter_tells_the_approvers_in_their_language(
    client, commune_report, people, small_tree
):
    second = MembershipFactory(unit=small_tree["D1C1"], role=Role.APPROVER).user
    client.force_login(people["reporter"])
    page = doc(client.get(reverse("reports:detail", args=[commune_report.pk])))
    assert page.xpath('//*[@data-testid="ask-approval"]')

    response = client.post(reverse("reports:ask_approval", args=[commune_report.pk]))

    assert response.status_code == 302
    told = Notification.objects.filter(kind=NotificationKind.REPORT_READY)
    assert {n.user for n in told} == {people["approver"], second}
    notification = told.first()
    assert notification.url == reverse("reports:detail", args=[commune_report.pk])
    # The district reviews: the plan is the province's but D1 has the coordinator.
    with override("vi"):
        assert "chờ đồng chí duyệt" in notification.shown_title
        assert "Huyện ủy D1" in notification.shown_body
    with override("en"):
        assert "ready for your approval" in notification.shown_title
        assert "Huyện ủy D1" in notification.shown_body
    # Nobody outside the unit, and not the viewer, hears of it.
    assert people["viewer"] not in {n.user for n in told}


def test_asking_with_no_approver_is_refused(client, published_plan, small_tree):
    lonely = Report.objects.get(campaign=published_plan, unit=small_tree["D2C2"])
    reporter = MembershipFactory(unit=small_tree["D2C2"], role=Role.REPORTER).user
    client.force_login(reporter)
    client.post(reverse("reports:ask_approval", args=[lonely.pk]))
    assert not Notification.objects.filter(kind=NotificationKind.REPORT_READY).exists()


def test_an_approver_is_not_offered_to_ask_himself(client, commune_report, people):
    client.force_login(people["approver"])
    page = doc(client.get(reverse("reports:detail", args=[commune_report.pk])))
    assert not page.xpath('//*[@data-testid="ask-approval"]')
    assert page.xpath('//*[@data-testid="submit-report"]')


def test_the_submit_message_names_the_district_that_reviews(
    client, commune_report, people, monkeypatch
):
    monkeypatch.setattr(services, "missing_required", lambda report, rows: [])
    client.force_login(people["approver"])
    response = client.post(reverse("reports:submit", args=[commune_report.pk]), follow=True)
    html = response.content.decode()
    assert "Huyện ủy D1" in html
    assert "Tỉnh ủy Gia Lai" not in html.split('class="alert')[1].split("</div>")[0]


def test_the_reviewing_unit_is_the_deepest_with_a_coordinator(
    published_plan, small_tree, levels, coordinator
):
    # Three levels below the province, the district without coordinators:
    # the province reviews the cell.
    cell = Report(plan=published_plan, unit=small_tree["D1C1CELL"])
    assert services.reviewing_unit(cell) == small_tree["P"]
    MembershipFactory(unit=small_tree["D1C1"], role=Role.COORDINATOR)
    assert services.reviewing_unit(cell) == small_tree["D1C1"]
    hamlet = add_unit(small_tree["D2"], "D2X", levels["co-so"], name="Xã mới")
    assert services.reviewing_unit(Report(plan=published_plan, unit=hamlet)) == small_tree["P"]


def test_accept_and_open_the_next_report_waiting(client, published_plan, small_tree, people):
    first, second = (
        Report.objects.get(campaign=published_plan, unit=small_tree[code])
        for code in ("D1C1", "D1C2")
    )
    approver2 = MembershipFactory(unit=small_tree["D1C2"], role=Role.APPROVER).user
    submitted(first, people["approver"])
    submitted(second, approver2)
    client.force_login(people["district_coordinator"])

    response = client.post(reverse("reports:accept", args=[first.pk]), {"next": "1"})

    assert response["Location"] == reverse("reports:detail", args=[second.pk])
    first.refresh_from_db()
    assert first.status == ReportStatus.ACCEPTED
    response = client.post(reverse("reports:accept", args=[second.pk]), {"next": "1"})
    assert response["Location"] == reverse("reports:inbox")


def test_accept_without_next_stays_on_the_report(client, commune_report, people):
    submitted(commune_report, people["approver"])
    client.force_login(people["district_coordinator"])
    response = client.post(reverse("reports:accept", args=[commune_report.pk]))
    assert response["Location"] == reverse("reports:detail", args=[commune_report.pk])


def test_returning_with_a_new_deadline_moves_the_due_date_and_says_it(
    client, commune_report, people
):
    submitted(commune_report, people["approver"])
    client.force_login(people["district_coordinator"])
    new_day = timezone.localdate() + datetime.timedelta(days=10)

    client.post(
        reverse("reports:return", args=[commune_report.pk]),
        {"overall": "Bổ sung số liệu", "new_due_on": new_day.isoformat()},
    )

    commune_report.refresh_from_db()
    assert commune_report.status == ReportStatus.RETURNED
    assert commune_report.due_on == new_day
    notification = Notification.objects.get(
        kind=NotificationKind.REPORT_RETURNED, user=people["reporter"]
    )
    with override("vi"):
        assert f"Hạn nộp mới: {new_day.day:02d}" in notification.shown_body or (
            f"Hạn nộp mới: {new_day.day}/" in notification.shown_body
        )
        assert "Bổ sung số liệu" in notification.shown_body


def test_a_new_deadline_in_the_past_is_refused(client, commune_report, people):
    submitted(commune_report, people["approver"])
    due = commune_report.due_on
    client.force_login(people["district_coordinator"])
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    client.post(
        reverse("reports:return", args=[commune_report.pk]),
        {"overall": "Sửa", "new_due_on": yesterday.isoformat()},
    )
    commune_report.refresh_from_db()
    assert commune_report.status == ReportStatus.SUBMITTED
    assert commune_report.due_on == due


def test_returning_without_a_date_keeps_the_deadline(client, commune_report, people):
    submitted(commune_report, people["approver"])
    due = commune_report.due_on
    client.force_login(people["district_coordinator"])
    client.post(reverse("reports:return", args=[commune_report.pk]), {"overall": "Sửa"})
    commune_report.refresh_from_db()
    assert commune_report.status == ReportStatus.RETURNED
    assert commune_report.due_on == due


def test_return_comments_are_no_alert_once_accepted(client, commune_report, people, text_item):
    submitted(commune_report, people["approver"])
    services.send_back(
        report=commune_report,
        by=people["district_coordinator"],
        overall="Chung",
        per_item={text_item.pk: "Sửa mục này"},
    )
    client.force_login(people["reporter"])
    url = reverse("reports:detail", args=[commune_report.pk])
    page = doc(client.get(url))
    assert page.xpath('//*[@data-testid="item-comment"]')
    assert page.xpath('//*[@data-testid="return-comments"]')

    Report.objects.filter(pk=commune_report.pk).update(status=ReportStatus.ACCEPTED)
    page = doc(client.get(url))
    assert not page.xpath('//*[@data-testid="item-comment"]')
    assert not page.xpath('//*[@data-testid="return-comments"]')
    assert ReviewComment.objects.filter(report=commune_report).count() == 2


def test_the_item_form_carries_its_csrf_token_for_a_plain_post(commune_report, people, text_item):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(people["reporter"])
    page = doc(client.get(reverse("reports:detail", args=[commune_report.pk])))
    form = page.xpath(f'//*[@id="item-{text_item.pk}"]//form')[0]
    token = form.xpath('.//input[@name="csrfmiddlewaretoken"]')[0].get("value")
    prefix = f"item{text_item.pk}"
    response = client.post(
        form.get("action"),
        {"csrfmiddlewaretoken": token, f"{prefix}-version": "0", f"{prefix}-text_plain": "Một"},
    )
    assert response.status_code == 302
    assert Answer.objects.get(report=commune_report, item=text_item).text == "<div>Một</div>"


@given(
    st.lists(
        st.text(alphabet=st.characters(blacklist_categories=["Cs", "Cc"]), max_size=30), max_size=6
    )
)
def test_a_textarea_left_as_shown_reads_back_the_same_paragraphs(lines):
    """The no-JavaScript textarea shows rich text one paragraph a line; saving
    what it showed gives the same paragraphs back."""
    from documents.richtext import from_plain_text

    html = from_plain_text("\n".join(lines))
    shown = plain_lines(html)
    assert from_plain_text(shown) == html


def test_the_approver_gets_the_ready_report_by_e_mail_in_vietnamese(
    commune_report, people, mailoutbox, django_capture_on_commit_callbacks
):
    from notifications.tasks import send_notification_emails

    people["approver"].email = "duyet@example.vn"
    people["approver"].save()
    with override("en"), django_capture_on_commit_callbacks(execute=False):
        services.ask_approval(report=commune_report, by=people["reporter"])
    notification = Notification.objects.get(kind=NotificationKind.REPORT_READY)
    send_notification_emails.apply(args=[[notification.pk]])
    assert len(mailoutbox) == 1
    assert "chờ đồng chí duyệt" in mailoutbox[0].subject
    assert "Huyện ủy D1" in mailoutbox[0].body
