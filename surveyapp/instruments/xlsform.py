"""XLSForm (KoboToolbox / ODK) import and export of instrument definitions (FORMAT.md). Pure Python, no Flask.

`import_xlsform(content) -> dict` reads an .xlsx or .xls with pyxform, the reference XLSForm implementation, so
that a form means what it means to Kobo and ODK, maps it to an instrument dict and raises `XLSFormError(problems)`
naming the feature, sheet and row of everything surveyapp cannot represent (`read_xlsform` also gives each
question's row, which `placed_problem` adds to parse_definition's problems). `export_xlsform(data) -> bytes` writes
a standard XLSForm plus what XLSForm cannot carry (scoring, flags, citations) in extra columns and an extra
`surveyapp` sheet that pyxform and KoboToolbox ignore, so that `import_xlsform(export_xlsform(data)) == data` and
a form imported and exported again converts with pyxform to the same form.
"""

from surveyapp.instruments.xlsform_common import XLSFormError
from surveyapp.instruments.xlsform_export import export_xlsform
from surveyapp.instruments.xlsform_import import ImportedForm, import_xlsform, placed_problem, read_xlsform

__all__ = ["ImportedForm", "XLSFormError", "export_xlsform", "import_xlsform", "placed_problem", "read_xlsform"]
