"""Erasing what a withdrawn respondent left: their identity and answers, after WITHDRAWAL_ERASE_DAYS. It reaches
across respondents, responses and alerts, so it sits above all three."""
