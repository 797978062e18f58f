from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, SelectChoice, SelectField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, Optional, Regexp, ValidationError

from surveyapp.auth.models import Role
from surveyapp.config import LANGUAGE_NAMES

LANGUAGE_CHOICES = [SelectChoice(code, name) for code, name in LANGUAGE_NAMES.items()]
ROLE_LABELS = {
    Role.ADMIN: _l("Administrator"),
    Role.COORDINATOR: _l("Coordinator"),
    Role.PSYCHOLOGIST: _l("Psychologist"),
    Role.TRAINER: _l("Trainer"),
    Role.VIEWER: _l("Viewer (reports only)"),
}
MIN_PASSWORD_LENGTH = 10


class LoginForm(FlaskForm):
    username = StringField(_l("User name"), validators=[DataRequired(), Length(max=80)])
    password = PasswordField(_l("Password"), validators=[DataRequired()])


class LanguageForm(FlaskForm):
    language = SelectField(_l("Language"), choices=LANGUAGE_CHOICES)


class NewPasswordForm(FlaskForm):
    """A new password typed twice; at least ``MIN_PASSWORD_LENGTH`` characters and not the user name."""

    min_length = MIN_PASSWORD_LENGTH

    new_password = PasswordField(
        _l("New password"),
        validators=[
            DataRequired(),
            Length(
                min=MIN_PASSWORD_LENGTH,
                max=200,
                message=_l("Use at least %(min)d characters.", min=MIN_PASSWORD_LENGTH),
            ),
        ],
    )
    confirm_password = PasswordField(
        _l("New password again"),
        validators=[DataRequired(), EqualTo("new_password", message=_l("The two new passwords differ."))],
    )

    def username_for_check(self) -> str:
        raise NotImplementedError

    def validate_new_password(self, field) -> None:
        if field.data and field.data.strip().casefold() == self.username_for_check().strip().casefold():
            raise ValidationError(_l("The password must not be the user name."))


class ChangePasswordForm(NewPasswordForm):
    current_password = PasswordField(_l("Current password"), validators=[DataRequired()])

    def __init__(self, username: str, **kwargs):
        super().__init__(**kwargs)
        self._username = username

    def username_for_check(self) -> str:
        return self._username


class ResetPasswordForm(NewPasswordForm):
    username = StringField(_l("User name"), validators=[DataRequired(), Length(max=80)])
    code = StringField(_l("One-time code from the administrator"), validators=[DataRequired(), Length(max=40)])

    def username_for_check(self) -> str:
        return self.username.data or ""


class UserForm(FlaskForm):
    """The admin's form for an account: who it is, what it may do, and where."""

    role = SelectField(_l("Role"), choices=[SelectChoice(role.value, label) for role, label in ROLE_LABELS.items()])
    territory_id = SelectField(_l("Territorial administration (trainers and psychologists)"), coerce=int)
    full_name = StringField(_l("Full name"), validators=[Length(max=200)])
    email = StringField(
        _l("E-mail (for alerts)"),
        validators=[
            Optional(),
            Length(max=254),
            Regexp(r"^[^@\s]+@[^@\s]+\.[^@\s]+$", message=_l("Give an e-mail address such as name@example.org.")),
        ],
    )
    language = SelectField(_l("Language"), choices=LANGUAGE_CHOICES)


class NewUserForm(UserForm):
    username = StringField(
        _l("User name"),
        validators=[
            DataRequired(),
            Length(max=80),
            Regexp(r"^[\w.-]+$", message=_l("Letters, digits, dots, dashes and _ only, no spaces.")),
        ],
    )


class EditUserForm(UserForm):
    is_active = BooleanField(_l("Active (may log in)"))


class IssueResetCodeForm(FlaskForm):
    """Only the CSRF token: the button that makes a new one-time code."""
