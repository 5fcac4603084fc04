"""The consolidation workspace of a 2,526-unit province: its first paint and one
item's texts, against a trivial authenticated page (the floor)."""

import statistics
import time

from django.test import Client
from django.urls import NoReverseMatch, reverse

from bench.consolidation import make_campaign
from campaigns.models import AnswerType
from orgunits.models import Role
from reports.models import Answer, Report
from tests.factories import MembershipFactory


def _get(client: Client, url: str, runs: int = 5) -> tuple[float, int, int]:
    client.get(url)  # warm: templates, caches
    times, size, status = [], 0, 0
    for _ in range(runs):
        start = time.perf_counter()
        response = client.get(url)
        times.append(time.perf_counter() - start)
        size, status = len(response.content), response.status_code
    return statistics.median(times), size, status


SENTENCES = [
    "Cấp ủy đã <b>quán triệt sâu sắc</b> chủ trương, ban hành kế hoạch cụ thể",
    "các cuộc đối thoại được chuẩn bị chu đáo, đúng quy trình, có biên bản đầy đủ",
    "một số nơi còn <i>hình thức</i>, chưa phát huy vai trò của Mặt trận",
    "kiến nghị của nhân dân được tiếp thu, giải quyết kịp thời",
    "cần bố trí kinh phí và bồi dưỡng kỹ năng cho cán bộ chủ trì",
]


def more_texts(plan, own) -> None:
    """About ten narrative answers a unit, a few paragraphs and a list each, as
    the measured province had (24,920 narrative answers for 2,526 units)."""
    items = list(plan.outline_items.filter(answer_type=AnswerType.TEXT, is_heading=False))
    answered = set(Answer.objects.filter(report__campaign=plan).values_list("report_id", "item_id"))
    answers = []
    for n, report in enumerate(Report.objects.filter(campaign=plan).exclude(pk=own.pk)):
        for k, item in enumerate(items[:10]):
            if (report.pk, item.pk) in answered:
                continue
            parts = [SENTENCES[(n + k + j) % len(SENTENCES)] for j in range(4)]
            text = "".join(f"<p>{p.capitalize()}; đơn vị {n}.</p>" for p in parts[:2])
            text += "<ul>" + "".join(f"<li>{p}.</li>" for p in parts[2:]) + "</ul>"
            answer = Answer(report=report, item=item, version=1, text=text)
            answers.append(getattr(answer, "fill_plain", lambda a=answer: a)())
    Answer.objects.bulk_create(answers, batch_size=2000)


def run() -> None:
    plan, province = make_campaign("BW", districts=25, communes=2500)
    own = Report.objects.get(campaign=plan, unit=province)
    more_texts(plan, own)
    print(f"narrative answers: {Answer.objects.exclude(text='').count():,}")
    units = Report.objects.filter(campaign=plan).count()
    client = Client()
    client.force_login(MembershipFactory(unit=province, role=Role.REPORTER).user)
    floor, floor_size, _s = _get(client, reverse("password_change"))
    print(
        f"floor (a trivial authenticated page): {floor * 1000:.0f} ms, {floor_size / 1024:.0f} KiB"
    )
    page, size, status = _get(client, reverse("consolidation:workspace", args=[own.pk]))
    print(
        f"workspace first paint, {units:,} units: {page * 1000:.0f} ms ({page / floor:.0f}× the "
        f"floor), {size / 1024:.0f} KiB, status {status}"
    )
    item = plan.outline_items.get(numbering="2.1.")
    points = plan.outline_items.get(numbering="2.3.")
    for label, entry in (("narrative", item), ("points", points)):
        try:
            url = reverse("consolidation:item_texts", args=[own.pk, entry.pk])
        except NoReverseMatch:
            print(f"no fragment URL yet ({label} item)")
            continue
        fragment, size, status = _get(client, url)
        print(
            f"one {label} item's texts (a page of them): {fragment * 1000:.0f} ms "
            f"({fragment / floor:.0f}× the floor), {size / 1024:.0f} KiB, status {status}"
        )
