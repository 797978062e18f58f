import click
from flask import current_app
from flask.cli import AppGroup

from surveyapp.db import utc_now
from surveyapp.erasure.services import erase_withdrawn
from surveyapp.transactions import commit_with_retry

respondents_cli = AppGroup("respondents", help="Respondents' data: erasure after withdrawal.")


@respondents_cli.command("erase-withdrawn")
def erase_withdrawn_command() -> None:
    """Erase the identity and answers of respondents withdrawn more than WITHDRAWAL_ERASE_DAYS ago (run daily)."""
    days = current_app.config["WITHDRAWAL_ERASE_DAYS"]
    erased = commit_with_retry(lambda: [respondent.code for respondent in erase_withdrawn(utc_now(), days)])
    click.echo(f"erased {len(erased)} respondent(s) withdrawn more than {days} days ago: {', '.join(erased) or '-'}")
