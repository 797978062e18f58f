"""surveyapp: survey and outcome measurement for the Osh child-support programme.

The application factory lives in surveyapp/app.py; ``from surveyapp import create_app`` loads it on first use, so
that importing a pure module (``surveyapp.scoring.engine``, the instrument definition language) loads no Flask.
"""


def __getattr__(name: str):
    if name == "create_app":
        from surveyapp.app import create_app

        return create_app
    raise AttributeError(f"module 'surveyapp' has no attribute {name!r}")
