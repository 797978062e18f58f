"""surveyapp: survey and outcome measurement for the Osh child-support programme."""
