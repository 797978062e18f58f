"""The audit trail as admins read it: filtered, paged, exported. It names users, respondents, submissions and
alerts, so it sits above them all; recording an event is surveyapp.audit, at the bottom, used by everyone."""
