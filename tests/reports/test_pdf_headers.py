"""Table headers in the PDF never break inside a word (Kyrgyz headers read "Чейин су/рамжыла/нгандар" before).

The header labels are taken from the real catalogs (gettext of the English source under the language), so the
test still holds once the new labels are translated: every word of every header must come out of the PDF whole.
"""

import io

import pytest
from flask_babel import force_locale, gettext, ngettext
from pypdf import PdfReader
from reportlab.lib.units import cm
from reportlab.pdfbase import pdfmetrics

from surveyapp.auth.models import Role
from surveyapp.reports import tables
from surveyapp.reports.pdf import BOLD_FONT, CELL_PADDING, HEAD_CELL, WIDTH, column_widths, register_fonts

SUMMARY_HEADERS = ("No.", "Indicator", "Target", "Reached", "Result", "Success rule", "Target met?")
ANNEX_HEADERS = (
    "No.",
    "Indicator",
    "Target",
    "Surveyed before",
    "Surveyed after",
    "Matched",
    "Lost (attrition)",
    "Measured result",
    "Measurement method",
)


def page_words(reader: PdfReader, containing: str) -> set[str]:
    """The whitespace-separated words of the first page whose text contains `containing`."""
    for page in reader.pages:
        words = page.extract_text().split()
        if containing in " ".join(words):
            return set(words)
    raise AssertionError(f"no page has {containing!r}")


@pytest.mark.parametrize("language", ["ky", "ru"])
def test_every_header_word_comes_out_of_the_pdf_whole(client, login, programme, language):
    login(Role.VIEWER)
    reader = PdfReader(io.BytesIO(client.get(f"/reports/download?format=pdf&lang={language}").data))
    with force_locale(language):
        first_page = set(reader.pages[0].extract_text().split())
        for headers, words in (
            (SUMMARY_HEADERS, first_page),
            (ANNEX_HEADERS, page_words(reader, gettext("Annex: statistics"))),
        ):
            labels = [gettext(header) for header in headers]
            broken = [word for label in labels for word in label.split() if word not in words]
            assert not broken, (language, broken)
        staff = ngettext("%(num)d staff member", "%(num)d staff members", 25)  # was "25 (Кызмат/кер)"
    target_words = page_words(reader, staff.split()[-1])
    assert all(word in target_words for word in staff.split())


def test_columns_are_as_wide_as_their_longest_word_within_the_page(app_context):
    # A long word in a narrow column: widths 1 : 1 : 8 of a 10 cm table would give the first column 1 cm, less
    # than "сурамжылангандар" needs at 8 pt bold (measured here with ReportLab's font metrics, plus padding).
    register_fonts()
    long_word = "сурамжылангандар"
    table = tables.Table(
        "t",
        (f"Чейин {long_word}", "n", "Натыйжа"),
        ((tables.plain("1"), tables.plain("2"), tables.plain("бир эки үч")),),
    )
    widths = column_widths(table, [1, 1, 8])
    needed = pdfmetrics.stringWidth(long_word, BOLD_FONT, HEAD_CELL.fontSize) + 2 * CELL_PADDING
    assert needed > 1 * cm  # it did not fit before
    assert widths[0] == pytest.approx(needed)
    assert sum(widths) == pytest.approx(10 * cm)
    assert widths[2] / widths[1] == pytest.approx(8)  # the other columns keep their proportions
    assert sum(column_widths(table, [30, 30, 30])) == pytest.approx(WIDTH)  # never wider than the page
