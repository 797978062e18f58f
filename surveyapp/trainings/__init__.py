"""Trainings of staff and parents: a pre-test session and a post-test session of one group, run by a trainer."""
