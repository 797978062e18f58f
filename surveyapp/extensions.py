"""Extensions, created unbound and bound to the app in create_app()."""

from typing import TYPE_CHECKING, ClassVar

from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect

from surveyapp.db import Base

db = SQLAlchemy(model_class=Base)
migrate = Migrate()
babel = Babel()
csrf = CSRFProtect()
login_manager = LoginManager()
limiter = Limiter(get_remote_address)
"""Throttles failed attempts per client address (surveyapp/throttling.py); storage RATELIMIT_STORAGE_URI."""

if TYPE_CHECKING:
    from flask_sqlalchemy.model import Model as _QueryableModel
    from sqlalchemy import Table

    class Model(_QueryableModel, Base):
        """How a type checker sees ``db.Model``: the declarative base of db.py with Flask-SQLAlchemy's ``query``.

        ``db.Model`` is an attribute made at run time, which type checkers refuse as a base class (mypy#8603);
        every model subclasses this name instead, and at run time it is ``db.Model`` itself.
        """

        __abstract__ = True
        __table__: ClassVar[Table]
        """Every model here is mapped to a table (none to a join or a subquery)."""

else:
    Model = db.Model
