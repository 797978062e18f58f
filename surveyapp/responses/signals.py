"""What the intake announces to the packages above it: responses sits below alerts (an alert points at its
submission), so it tells them of a positive screen instead of calling them.

``submission_flagged`` is sent in the submission's own transaction, before it is committed, with the keyword
arguments ``definition`` (the version's InstrumentDefinition), ``result`` (its ScoreResult) and ``now``; the sender
is the new Submission. alerts/services.py opens the alert. Receivers run at once, in order: an error in one rolls
the submission back with it, so a child's answers are never stored without their alert.
"""

from blinker import Namespace

_signals = Namespace()

submission_flagged = _signals.signal("submission-flagged")
