import datetime as dt

import pytest

from pyxl.core.model import Project
from pyxl.core.schedule import (
    PlanPoint,
    ScheduleRow,
    checkpoint_month,
    parse_percent,
    plan_points,
    schedule,
    time_progress,
    time_progress_at,
)


@pytest.mark.parametrize(
    ("label", "month"),
    [
        ("3月底", 3),
        ("12月末", 12),
        ("6月", 6),
        ("10 月底", 10),
        ("１０月底", 10),
        ("截至9月底", 9),
        ("6月30日", 6),
        ("第一季度末", 3),
        ("一季度末", 3),
        ("第二季度", 6),
        ("三季度末", 9),
        ("第4季度末", 12),
        ("Q2", 6),
        ("q4", 12),
        ("上半年", 6),
        ("年底", 12),
    ],
)
def test_checkpoint_month(label, month):
    assert checkpoint_month(label) == month


@pytest.mark.parametrize("label", ["", "13月底", "0月", "下旬", "第五季度", "Q5", "月底", "abc"])
def test_checkpoint_month_unknown(label):
    assert checkpoint_month(label) is None


@pytest.mark.parametrize(
    ("value", "percent"),
    [
        ("25%", 25.0),
        ("２５％", 25.0),
        ("25", 25.0),
        (25, 25.0),
        (12.5, 12.5),
        (" 75 % ", 75.0),
        ("100.0%", 100.0),
        ("-5%", -5.0),
        ("120%", 120.0),
        ("abc", None),
        ("", None),
        (None, None),
        (True, None),
        (float("nan"), None),
        ("25%%", None),
        ([25], None),
    ],
)
def test_parse_percent(value, percent):
    assert parse_percent(value) == percent


def test_plan_points_keep_the_written_order():
    p = Project(spend_plan={"12月底": "100%", "3月底": "25%", "半路": "x"})
    assert plan_points(p) == [
        PlanPoint("12月底", 12, 100.0, "100%"),
        PlanPoint("3月底", 3, 25.0, "25%"),
        PlanPoint("半路", None, None, "x"),
    ]
    assert plan_points(Project()) == []


def test_time_progress_days():
    # 2025: 31 Mar is day 90, 30 Jun day 181, 31 Oct day 304 of 365
    assert time_progress(3, 2025) == pytest.approx(90 / 365 * 100)
    assert time_progress(6, 2025) == pytest.approx(181 / 365 * 100)
    assert time_progress(10, 2025) == pytest.approx(304 / 365 * 100)
    assert time_progress(12, 2025) == pytest.approx(100.0)
    # leap year: February has 29 days and the year 366
    assert time_progress(2, 2024) == pytest.approx(60 / 366 * 100)
    assert time_progress(10, 2024) == pytest.approx(305 / 366 * 100)


def test_time_progress_months():
    assert time_progress(3, 2025, "months") == pytest.approx(25.0)
    assert time_progress(10, 2025, "months") == pytest.approx(10 / 12 * 100)


def test_time_progress_rejects_bad_input():
    with pytest.raises(ValueError):
        time_progress(13, 2025)
    with pytest.raises(ValueError):
        time_progress(3, 2025, "weeks")


def test_time_progress_at():
    assert time_progress_at(dt.date(2025, 3, 31)) == pytest.approx(time_progress(3, 2025))
    assert time_progress_at(dt.date(2025, 1, 1)) == pytest.approx(100 / 365)
    assert time_progress_at(dt.date(2025, 6, 30), "months") == pytest.approx(50.0)
    assert time_progress_at(dt.date(2025, 6, 15), "months") == pytest.approx((5 + 15 / 30) / 12 * 100)


def test_schedule_amounts():
    p = Project(
        budget="74.5 万元", spend_plan={"3月底": "25%", "6月底": "50%", "10月底": "75%", "12月底": "100%"}
    )
    rows = schedule(p)
    assert [r.label for r in rows] == ["3月底", "6月底", "10月底", "12月底"]
    assert [r.month for r in rows] == [3, 6, 10, 12]
    assert [r.cumulative_wan for r in rows] == pytest.approx([18.625, 37.25, 55.875, 74.5])
    assert [r.period_wan for r in rows] == pytest.approx([18.625, 18.625, 18.625, 18.625])
    assert isinstance(rows[0], ScheduleRow)


def test_schedule_units_and_gaps():
    # a budget in 元 is converted; an unreadable checkpoint leaves its amount and the next period empty
    p = Project(
        budget="1,000,000元", spend_plan={"3月底": "10%", "6月底": "?", "9月底": "60%", "12月底": "100%"}
    )
    rows = schedule(p)
    assert rows[0].cumulative_wan == pytest.approx(10.0)
    assert rows[0].period_wan == pytest.approx(10.0)
    assert rows[1].percent is None and rows[1].cumulative_wan is None and rows[1].period_wan is None
    assert rows[2].cumulative_wan == pytest.approx(60.0)
    assert rows[2].period_wan is None
    assert rows[3].period_wan == pytest.approx(40.0)


def test_schedule_without_budget():
    p = Project(budget=None, spend_plan={"3月底": "25%"})
    assert schedule(p) == [ScheduleRow("3月底", 3, 25.0, None, None)]
    # a bare number is a budget in 万元
    assert schedule(Project(budget=8, spend_plan={"12月底": 100}))[0].cumulative_wan == pytest.approx(8.0)
