"""The small-numbers rule, one fact for every app that shows a share or an average.

A share or an average over fewer answers than ``MIN_ANSWERS`` is shown as "n < 5", never as a
figure: a percentage of three self-assessments says more about chance than about the place, and
an average of two cooperatives' scores discloses them. The dashboards, the public figures, the
support-effect comparison and a cooperative's one-page result all apply it.
"""

MIN_ANSWERS = 5


def enough(count: int | None) -> bool:
    """Whether a figure over ``count`` answers may be shown."""
    return count is not None and count >= MIN_ANSWERS
