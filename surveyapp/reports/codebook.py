"""The codebook of an item-level export (XLSX): every variable with its label and values, how each scale is
scored, and where the instrument comes from - in the export's language. Made from the instrument version alone,
so it is small whatever the number of submissions."""

from flask_babel import force_locale
from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from surveyapp.definitions.model import InstrumentDefinition, Scale, local_text
from surveyapp.reports.item_export import Layout, Variable
from surveyapp.reports.xlsx import saved_workbook

BOLD = Font(bold=True)
WRAP = Alignment(wrap_text=True, vertical="top")


def codebook_xlsx(layout: Layout, published: str, source_file: str) -> bytes:
    with force_locale(layout.language):
        workbook = Workbook()
        _sheet(
            workbook.active,
            _("Variables"),
            [_("Variable"), _("Label"), _("Type"), _("Values"), _("Source")],
            [_variable_row(variable) for variable in layout.variables],
            widths=(24, 70, 10, 50, 30),
        )
        _sheet(
            workbook.create_sheet(),
            _("Values"),
            [_("Variable"), _("Value"), _("Label"), _("Missing"), _("Number in SPSS and Stata")],
            [
                (
                    variable.name,
                    value,
                    label,
                    _("yes") if value in variable.missing_values else "",
                    variable.codes[value] if isinstance(value, str) else value,
                )
                for variable in layout.variables
                for value, label in variable.value_labels.items()
            ],
            widths=(24, 16, 60, 10, 16),
        )
        scales = [
            (variable.name, layout.definition.scale(variable.scale))
            for variable in layout.variables
            if variable.scale is not None
        ]
        _sheet(
            workbook.create_sheet(),
            _("Scales"),
            [
                _("Variable"),
                _("Label"),
                _("Items"),
                _("Reverse-keyed items"),
                _("Method"),
                _("Missing items"),
                _("Multiplied by"),
                _("Range"),
                _("Bands"),
                _("Source of the bands"),
            ],
            [_scale_row(name, scale, layout) for name, scale in scales],
            widths=(20, 40, 40, 20, 16, 40, 10, 12, 50, 40),
        )
        _sheet(
            workbook.create_sheet(),
            _("Instrument"),
            [_("Field"), _("Value")],
            _instrument_rows(layout.definition, layout.language, published, source_file),
            widths=(24, 100),
        )
    return saved_workbook(workbook)


def _variable_row(variable: Variable) -> tuple:
    kinds = {"text": _("text"), "number": _("number"), "date": _("date")}
    kind = _("text; numbers in SPSS and Stata") if variable.codes else kinds[variable.kind]
    values = "; ".join(f"{value} = {label}" for value, label in variable.value_labels.items())
    if variable.scale is not None:
        source = _("scale %(scale)s", scale=variable.scale)
    elif variable.calculation is not None:
        source = _("calculated: %(calculation)s", calculation=variable.calculation)
    elif variable.option is not None:
        source = _("item %(item)s, option %(value)s", item=variable.item, value=variable.option)
    elif variable.item is not None:
        source = _("item %(item)s", item=variable.item)
    else:
        source = _("the submission")
    return variable.name, variable.label, kind, values, source


def _scale_row(name: str, scale: Scale, layout: Layout) -> tuple:
    definition, language = layout.definition, layout.language
    reverse = [item for item in scale.items if definition.item(item).reverse]
    methods = {"sum": _("sum"), "mean": _("mean"), "percent_correct": _("percent correct")}
    rules = {
        "prorate": _("prorated from the answered items"),
        "zero": _("counted as 0 (incorrect)"),
        "refuse": _("no score"),
    }
    missing = (
        _("none allowed: no score")
        if scale.missing.max_missing == 0
        else _("at most %(n)s missing: %(rule)s", n=scale.missing.max_missing, rule=rules[scale.missing.rule])
    )
    bands = "; ".join(
        f"{band.code} ({_('up to %(max)s', max=band.max) if band.max is not None else _('above')}): "
        f"{local_text(band.label, language)}"
        for band in scale.bands
    )
    return (
        name,
        local_text(scale.label, language),
        ", ".join(scale.items),
        ", ".join(reverse),
        methods[scale.method],
        missing,
        scale.multiply,
        f"{scale.range[0]}-{scale.range[1]}",
        bands,
        scale.band_source or "",
    )


def _instrument_rows(definition: InstrumentDefinition, language: str, published: str, source_file: str) -> list:
    return [
        (_("Title"), local_text(definition.title, language)),
        (_("Instrument"), definition.id),
        (_("Version"), definition.version),
        (_("Respondents"), definition.respondent_kind),
        (_("Source"), definition.source),
        (_("Licence"), definition.licence),
        (_("Languages"), ", ".join(_language(definition, code) for code in definition.languages)),
        (_("Published"), published),
        (_("Definition file"), source_file),
        (_("Language of the labels"), language),
        (
            _("Rows"),
            _(
                "One per submission of this version; respondents who withdrew are left out. Pseudonyms are "
                "drawn afresh for each export: they link the rows of one file only."
            ),
        ),
        (
            _("Multiple choice"),
            _("One 0/1 variable per option (1 = chosen); empty when the question was not answered."),
        ),
        (
            _("Text choice names"),
            _(
                "A choice whose name is a text (yes, other) is that text in CSV and XLSX. SPSS and Stata label "
                "only numbers: there each such name is a number, labelled with the choice (sheet Values)."
            ),
        ),
        (
            _("Calculated values"),
            _("Computed from the answers by the calculation shown; never asked, never stored with the answers."),
        ),
    ]


def _language(definition: InstrumentDefinition, code: str) -> str:
    """`fr (Français, draft)`: the tag, the name the XLSForm gave it, its translation status."""
    details = [
        detail for detail in (definition.language_names.get(code), definition.translation_status.get(code)) if detail
    ]
    return f"{code} ({', '.join(details)})" if details else code


def _sheet(sheet, title: str, header: list[str], rows: list[tuple], widths: tuple[int, ...]) -> None:
    sheet.title = title[:31]
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = BOLD
    for values in rows:
        sheet.append([_text(value) for value in values])
    sheet.freeze_panes = "A2"
    for column, width in zip("ABCDEFGHIJ", widths):
        sheet.column_dimensions[column].width = width
        for (cell,) in sheet.iter_rows(min_row=2, min_col=ord(column) - 64, max_col=ord(column) - 64):
            cell.alignment = WRAP


def _text(value):
    """Numbers stay numbers; a text is written as text even when it starts with "=" (saved_workbook)."""
    return value if value is None or isinstance(value, int | float) else str(value)
