"""The record rules of the satisfaction survey and the proof of arrival (pure)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.domain.arrival import distance_m, valid_point
from bot.domain.clocks import EVENTS
from bot.domain.survey import Survey, is_low
from bot.telegram.callbacks import ComplainAbout, SurveySkip, SurveyStars, decode

AT = datetime(2026, 11, 23, 6, 0, tzinfo=UTC)


def test_two_stars_or_fewer_is_low() -> None:
    assert [is_low(n) for n in (1, 2, 3, 4, 5)] == [True, True, False, False, False]
    assert Survey(1, 5001, 2, AT).low and not Survey(1, 5001, 3, AT).low


@pytest.mark.parametrize("stars", [0, 6, -1])
def test_stars_are_one_to_five(stars: int) -> None:
    with pytest.raises(ValueError):
        Survey(1, 5001, stars, AT)


def test_a_comment_and_a_call_back_keep_the_stars() -> None:
    survey = Survey(1, 5001, 1, AT).with_comment("slow")
    assert (survey.stars, survey.comment, survey.called_back) == (1, "slow", False)
    done = survey.call_back("cm", AT, "agreed")
    assert done.called_back and (done.callback_by, done.callback_note) == ("cm", "agreed")
    assert (done.stars, done.comment) == (1, "slow")


def test_the_call_back_clock_events_are_known_to_the_config() -> None:
    assert "low_rating" in EVENTS and "callback_done" in EVENTS


def test_haversine_distances() -> None:
    assert distance_m(30.25, 120.15, 30.25, 120.15) == 0
    # One thousandth of a degree of latitude is about 111 m anywhere.
    assert distance_m(30.25, 120.15, 30.251, 120.15) == pytest.approx(111.2, abs=0.2)
    # Beijing to Shanghai: about 1067 km as the crow flies.
    assert distance_m(39.9042, 116.4074, 31.2304, 121.4737) == pytest.approx(1_067_000, rel=0.01)
    # Symmetric, and antipodes are half the circumference.
    assert distance_m(1, 2, 3, 4) == distance_m(3, 4, 1, 2)
    assert distance_m(0, 0, 0, 180) == pytest.approx(20_015_087, rel=0.001)


def test_forged_locations_are_not_points() -> None:
    assert valid_point(30.25, 120.15)
    assert not valid_point(91, 0) and not valid_point(0, 181)
    assert not valid_point(float("nan"), 0) and not valid_point(0, float("inf"))


def test_survey_buttons_round_trip_and_forged_data_decodes_to_nothing() -> None:
    for button in (SurveyStars(12, 4), SurveySkip(12), ComplainAbout(12)):
        assert decode(button.encode()) == button
    assert SurveyStars(12, 4).encode() == "svy:12:4"
    assert ComplainAbout(12).encode() == "cmp:12"
    for forged in ("svy:12:6", "svy:12:0", "svy:x:1", "svy:12", "svs:", "cmp:1:2", "cmp:-1"):
        assert decode(forged) is None
