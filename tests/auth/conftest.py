import pytest
from flask import g, request_started


@pytest.fixture(autouse=True)
def _each_request_starts_afresh(request):
    """As in production, each request finds its user from its own session cookie, and its language anew.

    A test's app context (``app_context``) is shared by every request made inside it, since Flask pushes a new
    one only when none is active, and Flask-Login and Flask-Babel keep what they loaded on that context's ``g``:
    without this, a second browser, or a session that a new password has ended, would borrow the first
    request's user.
    """
    if "app" not in request.fixturenames:
        yield
        return
    app = request.getfixturevalue("app")

    def forget_previous_request(_sender, **_extra):
        for name in list(g):
            g.pop(name)

    request_started.connect(forget_previous_request, app)
    yield
    request_started.disconnect(forget_previous_request, app)
