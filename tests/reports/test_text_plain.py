"""The plain text of an answer is stored when it is saved, by every writer of
``Answer.text``: it is ``documents.richtext.to_plain_text`` of the HTML, what
the roll-up reads instead of converting thousands of answers per page view."""

import datetime
import random

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from campaigns.models import AnswerType
from documents.richtext import to_plain_text
from orgunits.models import Role
from reports import services
from reports.models import Answer, ReceivedVia, Report
from tests.factories import AnswerFactory, MembershipFactory, set_answer_type

pytestmark = pytest.mark.django_db

WORDS = st.text(
    alphabet=st.sampled_from("aăâbđeêiôơưyỳỹ ĐẢNG<>&;\"'\u00a0-+.:|0123456789"), max_size=12
)


@st.composite
def rich_text(draw) -> str:
    """HTML as the editor, Word pastes and old imports give it: paragraphs,
    inline marks, breaks, lists, tables, entities, stray tags."""
    inline = st.builds(
        lambda tag, text: f"<{tag}>{text}</{tag}>" if tag else text,
        st.sampled_from(["", "b", "i", "u", "s", "span", "strong", "em", "a"]),
        WORDS,
    )
    line = st.lists(
        st.one_of(inline, st.just("<br>"), st.just("&amp;"), st.just("&nbsp;")), max_size=4
    ).map("".join)
    block = st.one_of(
        line.map(lambda t: f"<p>{t}</p>"),
        line.map(lambda t: f"<div>{t}</div>"),
        st.lists(line, min_size=1, max_size=3).map(
            lambda items: "<ul>" + "".join(f"<li>{i}</li>" for i in items) + "</ul>"
        ),
        st.lists(st.lists(line, min_size=1, max_size=3), min_size=1, max_size=3).map(
            lambda rows: (
                "<table>"
                + "".join("<tr>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>" for r in rows)
                + "</table>"
            )
        ),
        line,  # text outside any block
        st.sampled_from(["<script>x</script>", "<p>", "</div>", "<h1>Tiêu đề</h1>"]),
    )
    return draw(st.lists(block, max_size=6).map("".join))


@pytest.fixture
def text_item(published_plan):
    return set_answer_type(published_plan, "3.1.", AnswerType.TEXT)


@pytest.fixture
def commune_report(published_plan, small_tree):
    return Report.objects.get(campaign=published_plan, unit=small_tree["D1C1"])


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(first=rich_text(), second=rich_text())
def test_save_answer_stores_the_plain_text_of_the_html(commune_report, text_item, first, second):
    writer = MembershipFactory(unit=commune_report.unit, role=Role.REPORTER).user
    Answer.objects.filter(report=commune_report, item=text_item).delete()
    for text in (first, second):  # a new answer, then the conditional UPDATE of a saved one
        current = Answer.objects.filter(report=commune_report, item=text_item).first()
        saved = services.save_answer(
            report=commune_report,
            item=text_item,
            values={"text": text},
            base_version=current.version if current else 0,
            by=writer,
        )
        assert not saved.conflict
        stored = Answer.objects.get(pk=saved.answer.pk)
        assert stored.text == text
        assert stored.text_plain == to_plain_text(text)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=rich_text())
def test_a_model_save_stores_it_too(commune_report, text_item, text):
    """The factories, the demo loaders and every ``save()``."""
    Answer.objects.filter(report=commune_report, item=text_item).delete()
    answer = AnswerFactory(report=commune_report, item=text_item, text=text)
    assert Answer.objects.get(pk=answer.pk).text_plain == to_plain_text(text)
    answer.text = text + "<p>Thêm</p>"
    answer.save(update_fields=["text"])
    assert Answer.objects.get(pk=answer.pk).text_plain == to_plain_text(text + "<p>Thêm</p>")


def test_a_report_received_on_paper_stores_it(commune_report, text_item, small_tree):
    coordinator = MembershipFactory(unit=small_tree["D1"], role=Role.COORDINATOR).user
    text = "<p>Đã <b>quán triệt</b>.</p><table><tr><td>Năm</td><td>7</td></tr></table>"
    services.record_received_report(
        commune_report,
        by=coordinator,
        received_via=ReceivedVia.PAPER,
        received_on=datetime.date.today(),
        files=[SimpleUploadedFile("bao-cao.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf")],
        answers=[(text_item, {"text": text})],
    )
    answer = Answer.objects.get(report=commune_report, item=text_item)
    assert answer.text_plain == to_plain_text(text) == "Đã quán triệt.\nNăm | 7"


def test_the_demo_loader_stores_it(published_plan, commune_report, text_item):
    """Its answers go in by ``bulk_create``, which skips ``save()``."""
    from reports import demo

    demo._answer(published_plan, [commune_report], random.Random(3))
    answers = Answer.objects.filter(report=commune_report).exclude(text="")
    assert answers.exists()
    assert all(a.text_plain == to_plain_text(a.text) != "" for a in answers)
